package io.ferry.admin.store;

import io.ferry.admin.model.AttemptPage;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import java.util.List;

/**
 * The listeners' webhook attempt logs: one area of an {@link AdminStore}, under its general contract. Each log
 * is in arrival order; newest first when read.
 */
public interface AttemptRecords {

  /**
   * Appends attempts (oldest first) to their listeners' logs in one durable write; each log keeps its newest
   * {@code keepPerListener}.
   */
  Future<Void> appendAttempts(List<WebhookAttempt> attempts, int keepPerListener);

  /**
   * Up to {@code limit} of the listener's attempts, newest first, strictly older than the attempt
   * {@code startAfterId} ({@code null}: from the newest); {@code null} when that id is not one of the listener's
   * retained attempts.
   */
  Future<AttemptPage> listenerAttempts(String listenerId, String startAfterId, int limit);

  /** Up to {@code limit} retained attempts to deliver the message of that queue, newest first. */
  Future<List<WebhookAttempt>> messageAttempts(String queueId, String messageId, int limit);

  /** Forgets the listener's log (the listener is deleted). */
  Future<Void> deleteListenerAttempts(String listenerId);
}

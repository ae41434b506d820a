package io.ferry.admin.store;

import io.ferry.admin.model.Listener;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Webhook listeners of queues: one area of an {@link AdminStore}, under its general contract. A listener only
 * attaches to an existing queue (QUEUE_NOT_FOUND), and listener names are unique per queue (NAME_TAKEN).
 */
public interface ListenerRecords {

  /** Fails NAME_TAKEN when the queue already has a listener of that name. */
  Future<Void> insertListener(Listener listener);

  /**
   * Applies {@code change} to the current listener atomically (no other write in between) and stores the result;
   * answers the stored listener. Fails NOT_FOUND when the listener is gone, NAME_TAKEN when the new name is
   * another listener's on the same queue.
   */
  Future<Listener> updateListener(String listenerId, UnaryOperator<Listener> change);

  Future<Void> deleteListener(String listenerId);

  Future<Listener> listener(String listenerId);

  Future<List<Listener>> listeners(String queueId);

  Future<List<Listener>> accountListeners(String accountId);

  Future<List<Listener>> allListeners();
}

package io.ferry.admin.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.vertx.core.Future;

/**
 * Sonya's queue commands beyond create, on queues named within the caller's account (another account's
 * queue is reported like a missing one): issue a per-(queue, id) or queue-wide token, close (delete) a queue, delete
 * every message of an id.
 */
public final class SonyaService {

  /** The longest Sonya id accepted, as on send. */
  public static final int MAX_ID_LENGTH = 512;

  private final QueueService queues;
  private final SonyaTokens tokens;
  private final MessagingCommands messaging;
  private final AdminEvents events;

  public SonyaService(QueueService queues, SonyaTokens tokens, MessagingCommands messaging, AdminEvents events) {
    this.queues = queues;
    this.tokens = tokens;
    this.messaging = messaging;
    this.events = events;
  }

  public Future<SonyaTokens.Issued> generateToken(String accountId, String queueName, String id) {
    requireId(id);
    return queue(accountId, queueName).map(queue -> tokens.issue(accountId, queue.name(), id));
  }

  /** A listen token for every message of the queue (the caller's grants were checked by the route). */
  public Future<SonyaTokens.Issued> generateQueueToken(String accountId, String queueName) {
    return queue(accountId, queueName).map(queue -> tokens.issueForQueue(accountId, queue.name()));
  }

  /**
   * Deletes the queue with its history and subscriptions, as the Cloudflare delete does. Completes with
   * whether there was such a queue: like Sonya, closing a queue that does not exist (any more) is not an
   * error, so a retried close succeeds.
   */
  public Future<Boolean> close(String accountId, String queueName) {
    return queue(accountId, queueName).compose(queue -> queues.delete(accountId, queue.id()))
        .map(true)
        .recover(failure -> failure instanceof FerryException e && e.code() == ErrorCode.QUEUE_NOT_FOUND
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  /** Deletes every retained message with this id, then announces it so per-id subscriptions end. */
  public Future<Void> deleteId(String accountId, String queueName, String id) {
    requireId(id);
    return queue(accountId, queueName).compose(queue -> messaging.deleteByKey(queue.id(), id)
        .onSuccess(v -> events.publish(EventTypes.MESSAGES_DELETED_BY_KEY, accountId, queue.id(),
            QueueService.payload(queue).put("id", id))));
  }

  private Future<QueueInfo> queue(String accountId, String queueName) {
    QueueNames.require("queue", queueName);
    return queues.lookup(QueueLookup.byName(accountId, queueName));
  }

  private static void requireId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw FerryException.invalidField("id", "must be 1 to " + MAX_ID_LENGTH + " characters");
    }
  }
}

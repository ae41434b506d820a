package io.ferry.admin.core;

import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.ConsumerRecords;
import io.ferry.admin.store.ListenerRecords;
import io.ferry.admin.store.QueueRecords;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Queues of an account. Every change is stored first, then commanded to messaging-service, and undone
 * when that command fails, so admin-service and messaging-service never disagree for longer than a
 * request. A queue of another account is reported exactly like a missing one.
 */
public final class QueueService {

  private final QueueRecords queues;
  private final ConsumerRecords consumers;
  private final ListenerRecords listeners;
  private final MessagingCommands messaging;
  private final AdminEvents events;
  private final DeadLetterReferences deadLetters;

  public QueueService(QueueRecords queues, ConsumerRecords consumers, ListenerRecords listeners,
      MessagingCommands messaging, AdminEvents events) {
    this.queues = queues;
    this.consumers = consumers;
    this.listeners = listeners;
    this.messaging = messaging;
    this.events = events;
    this.deadLetters = new DeadLetterReferences(consumers, messaging);
  }

  public Future<QueueInfo> create(String accountId, String name, QueueSettings settings) {
    return create(accountId, name, settings, null);
  }

  /** Creates a queue whose pushed messages must match {@code schema} (already compiled by the caller), or none. */
  public Future<QueueInfo> create(String accountId, String name, QueueSettings settings, JsonObject schema) {
    return createQuietly(accountId, name, settings, schema).onSuccess(this::announceCreated);
  }

  /** The queue named {@code name}, created with default settings when there is none (Sonya's create). */
  public Future<QueueInfo> ensure(String accountId, String name) {
    return queues.queueByName(accountId, name).compose(existing -> existing != null
        ? Future.succeededFuture(existing)
        : create(accountId, name, QueueSettings.DEFAULTS).recover(failure -> nameTaken(failure)
            ? queues.queueByName(accountId, name) // a concurrent create won: same outcome for this caller
            : Future.failedFuture(failure)));
  }

  /** The queue if it belongs to the account, else QUEUE_NOT_FOUND. */
  public Future<QueueInfo> get(String accountId, String queueId) {
    return queues.queue(queueId).compose(queue -> queue != null && queue.accountId().equals(accountId)
        ? Future.succeededFuture(queue)
        : Future.failedFuture(notFound(queueId)));
  }

  /** Purges every message of the account's queue (Cloudflare's purge); the queue itself stays. */
  public Future<QueueInfo> purge(String accountId, String queueId) {
    return get(accountId, queueId).compose(queue -> messaging.purge(accountId, queueId).map(status -> {
      events.publish(EventTypes.QUEUE_PURGED, accountId, queueId, payload(queue));
      return queue;
    }));
  }

  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return get(accountId, queueId).compose(queue -> messaging.purgeStatus(accountId, queueId));
  }

  public Future<List<QueueInfo>> list(String accountId) {
    return queues.queues(accountId);
  }

  /** Deletes the queue in messaging-service and here, with its consumers and listeners. */
  public Future<Void> delete(String accountId, String queueId) {
    return get(accountId, queueId).compose(queue -> consumers.consumers(queueId)
        .compose(itsConsumers -> listeners.listeners(queueId)
            .compose(itsListeners -> messaging.deleteQueue(accountId, queueId)
                .compose(v -> queues.deleteQueue(queueId))
                .onSuccess(v -> announceDeleted(queue, itsConsumers, itsListeners))
                .compose(v -> deadLetters.detach(queue)))));
  }

  /**
   * Renames the queue and/or replaces its settings, keeping its schema: see {@link #update(QueueInfo, QueueInfo)}.
   */
  public Future<QueueInfo> update(QueueInfo current, String name, QueueSettings settings) {
    return update(current, new QueueInfo(current.id(), current.accountId(), name, current.createdAtMs(),
        System.currentTimeMillis(), settings, current.schema()));
  }

  /**
   * Replaces {@code current} (already resolved for the caller) with {@code updated}: stored, commanded to
   * messaging-service (the store is put back when that fails), then announced as {@code queue.updated}. A
   * change that changes nothing answers {@code current} and announces nothing. Fails NAME_TAKEN when the new
   * name is another queue's, QUEUE_NOT_FOUND when the queue was deleted meanwhile.
   */
  public Future<QueueInfo> update(QueueInfo current, QueueInfo updated) {
    if (sameContent(current, updated)) {
      return Future.succeededFuture(current);
    }
    QueueNames.require("queue_name", updated.name());
    return queues.updateQueue(updated)
        .compose(v -> messaging.upsertQueue(updated)
            .recover(failure -> Compensation.revert(queues.updateQueue(current), failure)))
        .map(updated)
        .onSuccess(queue -> events.publish(EventTypes.QUEUE_UPDATED, queue.accountId(), queue.id(),
            updatedPayload(current, queue)));
  }

  private static boolean sameContent(QueueInfo a, QueueInfo b) {
    return a.name().equals(b.name()) && a.settings().equals(b.settings())
        && Objects.equals(a.schema(), b.schema());
  }

  private static JsonObject updatedPayload(QueueInfo before, QueueInfo after) {
    JsonObject payload = payload(after).put("settings", new JsonObject()
        .put("delivery_delay", after.settings().deliveryDelaySeconds())
        .put("delivery_paused", after.settings().deliveryPaused())
        .put("message_retention_period", after.settings().retentionPeriodSeconds()));
    if (!before.name().equals(after.name())) {
      payload.put("previous_queue_name", before.name());
    }
    return payload;
  }

  /**
   * Finds a queue for another service: by id, or by name within an account. A {@code null} account is an
   * internal caller and may look up any queue by id.
   */
  public Future<QueueInfo> lookup(QueueLookup lookup) {
    if (lookup.queueId() != null) {
      return queues.queue(lookup.queueId()).compose(queue -> queue != null
          && (lookup.accountId() == null || queue.accountId().equals(lookup.accountId()))
          ? Future.succeededFuture(queue)
          : Future.failedFuture(notFound(lookup.queueId())));
    }
    if (lookup.accountId() == null || lookup.queueName() == null) {
      return Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
          "a queue lookup needs a queue id, or an account and a queue name"));
    }
    return queues.queueByName(lookup.accountId(), lookup.queueName()).compose(queue -> queue != null
        ? Future.succeededFuture(queue)
        : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
            "queue '" + lookup.queueName() + "' not found")));
  }

  // The account's queue of this name, or null; for requests that look a queue up by name as they go.
  Future<QueueInfo> named(String accountId, String name) {
    return queues.queueByName(accountId, name);
  }

  // Creates and commands the queue without announcing it, for requests that may still undo it.
  Future<QueueInfo> createQuietly(String accountId, String name, QueueSettings settings) {
    return createQuietly(accountId, name, settings, null);
  }

  private Future<QueueInfo> createQuietly(String accountId, String name, QueueSettings settings, JsonObject schema) {
    QueueNames.require("queue_name", name);
    long now = System.currentTimeMillis();
    QueueInfo queue = new QueueInfo(Ids.newId(), accountId, name, now, now, settings, schema);
    return queues.insertQueue(queue)
        .compose(v -> messaging.upsertQueue(queue)
            .recover(failure -> Compensation.revert(queues.deleteQueue(queue.id()), failure)))
        .map(queue);
  }

  // Removes a queue made by #createQuietly when a later step of the same request failed.
  Future<Void> undoCreate(QueueInfo queue) {
    Compensation.bestEffort(messaging.deleteQueue(queue.accountId(), queue.id()),
        "removing queue " + queue.id() + " from messaging-service");
    return queues.deleteQueue(queue.id());
  }

  void announceCreated(QueueInfo queue) {
    events.publish(EventTypes.QUEUE_CREATED, queue.accountId(), queue.id(), payload(queue));
  }

  private void announceDeleted(QueueInfo queue, List<QueueConsumer> consumers, List<Listener> listeners) {
    for (QueueConsumer consumer : consumers) {
      events.publish(EventTypes.CONSUMER_DELETED, queue.accountId(), consumer.id(),
          payload(queue).put("consumer_id", consumer.id()));
    }
    for (Listener listener : listeners) {
      events.publish(EventTypes.LISTENER_DELETED, queue.accountId(), listener.id(),
          payload(queue).put("listener_id", listener.id()));
    }
    events.publish(EventTypes.QUEUE_DELETED, queue.accountId(), queue.id(), payload(queue));
  }

  static JsonObject payload(QueueInfo queue) {
    return new JsonObject().put("queue_id", queue.id()).put("queue_name", queue.name());
  }

  static FerryException notFound(String queueId) {
    return new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " not found");
  }

  static boolean nameTaken(Throwable failure) {
    return failure instanceof FerryException fe && fe.code() == ErrorCode.NAME_TAKEN;
  }
}

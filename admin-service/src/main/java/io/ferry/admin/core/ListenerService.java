package io.ferry.admin.core;

import io.ferry.admin.model.AttemptPage;
import io.ferry.admin.model.Listener;
import io.ferry.admin.store.AttemptRecords;
import io.ferry.admin.store.ListenerRecords;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Webhook listeners of queues, as their owners manage them: each one is a subscription in messaging-service,
 * delivered by the dispatcher. A listener is reached through its queue: a queue of another account, or a listener
 * of another queue, is reported exactly like a missing one; the caller's scopes must grant {@code listeners}
 * access to the queue.
 */
public final class ListenerService {

  public static final int MAX_NAME_LENGTH = 256;
  public static final int DEFAULT_ATTEMPTS_LIMIT = 50;
  public static final int MAX_ATTEMPTS_LIMIT = 200;

  private final ListenerRecords listeners;
  private final QueueService queues;
  private final MessagingCommands messaging;
  private final DeliveryQueries deliveries;
  private final AdminEvents events;
  private final WebhookTargets targets;
  private final LivenessReports liveness;
  private final ListenerViews views;
  private final AttemptRecords attempts;

  public ListenerService(ListenerRecords listeners, QueueService queues, MessagingCommands messaging,
      DeliveryQueries deliveries, AdminEvents events, WebhookTargets targets, LivenessReports liveness,
      AttemptRecords attempts) {
    this.attempts = attempts;
    this.listeners = listeners;
    this.queues = queues;
    this.messaging = messaging;
    this.deliveries = deliveries;
    this.events = events;
    this.targets = targets;
    this.liveness = liveness;
    this.views = new ListenerViews(deliveries, liveness);
  }

  public Future<Listener> create(Principal caller, String queueId, String name, String notifyUrl,
      String livenessUrl) {
    try {
      requireName(name);
      WebhookUrls.require("notify_url", notifyUrl);
      WebhookUrls.require("liveness_url", livenessUrl);
    } catch (FerryException invalid) {
      return Future.failedFuture(invalid);
    }
    return queue(caller, queueId, Scope.WRITE).compose(queue -> targets.checkListenerUrls(notifyUrl, livenessUrl)
        .compose(checked -> {
          String accountId = queue.accountId();
          Listener listener = new Listener(Ids.newId(), accountId, queueId, name, notifyUrl, livenessUrl,
              Secrets.newListenerSecret(), System.currentTimeMillis());
          return listeners.insertListener(listener)
              .compose(v -> messaging.upsertSubscription(Subscriptions.of(listener)).recover(failure -> {
                // The command may have been applied even though its answer was lost.
                Compensation.bestEffort(messaging.deleteSubscription(accountId, listener.id()),
                    "removing subscription " + listener.id() + " from messaging-service");
                return Compensation.revert(listeners.deleteListener(listener.id()), failure);
              }))
              .onSuccess(v -> events.publish(EventTypes.LISTENER_CREATED, accountId, listener.id(),
                  payload(queue, listener).put("listener_name", name)))
              .map(listener);
        }));
  }

  public Future<ListenerView> get(Principal caller, String queueId, String listenerId) {
    return owned(caller, queueId, listenerId, Scope.READ).compose(owned -> views.of(owned.listener()));
  }

  public Future<List<ListenerView>> ofQueue(Principal caller, String queueId) {
    return queue(caller, queueId, Scope.READ).compose(queue -> listeners.listeners(queueId)).compose(views::of);
  }

  /** Every listener of the caller's account on a queue its scopes let it read. */
  public Future<List<ListenerView>> ofAccount(Principal caller) {
    return queues.list(caller.accountId()).compose(own -> {
      Map<String, QueueInfo> readable = own.stream()
          .filter(queue -> caller.allows(Scope.LISTENERS, Scope.READ, queue.id(), queue.name()))
          .collect(Collectors.toMap(QueueInfo::id, Function.identity()));
      return listeners.accountListeners(caller.accountId())
          .map(all -> all.stream().filter(l -> readable.containsKey(l.queueId())).toList());
    }).compose(views::of);
  }

  /** Changes name, URLs or status; announces {@code listener.updated} when anything changed. */
  public Future<ListenerView> update(Principal caller, String queueId, String listenerId, ListenerChanges changes) {
    try {
      if (changes.name() != null) {
        requireName(changes.name());
      }
      if (changes.notifyUrl() != null) {
        WebhookUrls.require("notify_url", changes.notifyUrl());
      }
      if (changes.livenessUrl() != null) {
        WebhookUrls.require("liveness_url", changes.livenessUrl());
      }
    } catch (FerryException invalid) {
      return Future.failedFuture(invalid);
    }
    return owned(caller, queueId, listenerId, Scope.WRITE)
        .compose(owned -> targets.checkListenerUrls(changes.notifyUrl(), changes.livenessUrl())
            .compose(checked -> listeners.updateListener(listenerId, changes::applyTo))
            .onSuccess(updated -> announceUpdate(owned, updated)))
        .compose(views::of);
  }

  /** Replaces the signing secret; the old one stops signing at once. Answers the listener with its new secret. */
  public Future<Listener> rotateSecret(Principal caller, String queueId, String listenerId) {
    return owned(caller, queueId, listenerId, Scope.WRITE)
        .compose(owned -> listeners
            .updateListener(listenerId, listener -> listener.withSecret(Secrets.newListenerSecret()))
            .onSuccess(updated -> announceUpdate(owned, updated)));
  }

  /** Removes the listener's subscription in messaging-service (with its pending deliveries), then the listener. */
  public Future<Listener> delete(Principal caller, String queueId, String listenerId) {
    return owned(caller, queueId, listenerId, Scope.WRITE).compose(owned -> {
      Listener listener = owned.listener();
      return messaging.deleteSubscription(listener.accountId(), listenerId)
          .compose(v -> listeners.deleteListener(listenerId).recover(failure -> {
            Compensation.bestEffort(messaging.upsertSubscription(Subscriptions.of(listener)),
                "restoring subscription " + listenerId + " in messaging-service");
            return Future.failedFuture(failure);
          }))
          .onSuccess(v -> {
            liveness.forget(listenerId);
            Compensation.bestEffort(attempts.deleteListenerAttempts(listenerId),
                "removing the attempt log of listener " + listenerId);
            events.publish(EventTypes.LISTENER_DELETED, listener.accountId(), listenerId,
                payload(owned.queue(), listener));
          })
          .map(listener);
    });
  }

  /** Makes missed messages deliverable again: those of {@code messageIds}, or all when it is empty. */
  public Future<Integer> redeliver(Principal caller, String queueId, String listenerId, List<String> messageIds) {
    return owned(caller, queueId, listenerId, Scope.WRITE)
        .compose(owned -> deliveries.redeliver(new RedeliverRequest(queueId, listenerId, messageIds)))
        .map(RedeliverResult::redelivered);
  }

  /**
   * Makes the messages the listener missed at or after {@code sinceMs} deliverable again (today's
   * redeliver-by-ids stays {@link #redeliver}).
   */
  public Future<Integer> redeliverMissed(Principal caller, String queueId, String listenerId, long sinceMs) {
    return owned(caller, queueId, listenerId, Scope.WRITE)
        .compose(owned -> deliveries.redeliver(new RedeliverRequest(queueId, listenerId, List.of(), sinceMs)))
        .map(RedeliverResult::redelivered);
  }

  /**
   * A page of the listener's attempt log, newest first, after the attempt {@code startAfterId} ({@code null}: from
   * the newest). Fails INVALID_FIELD ({@code startAfterId}) when that is not one of the log's attempts.
   */
  public Future<AttemptPage> attempts(Principal caller, String queueId, String listenerId, String startAfterId,
      int limit) {
    return owned(caller, queueId, listenerId, Scope.READ)
        .compose(owned -> attempts.listenerAttempts(listenerId, startAfterId, limit))
        .compose(page -> page != null ? Future.succeededFuture(page)
            : Future.failedFuture(FerryException.invalidField("startAfterId",
                "is not the id of an attempt in this listener's attempt log")));
  }

  /** The retained attempts to deliver one message of the queue to its listeners, newest first. */
  public Future<List<WebhookAttempt>> messageAttempts(Principal caller, String queueId, String messageId,
      int limit) {
    return queue(caller, queueId, Scope.READ).compose(queue -> attempts.messageAttempts(queueId, messageId, limit));
  }

  private record Owned(QueueInfo queue, Listener listener) {
  }

  // The caller's queue, once its scopes are known to grant the access (403 only for the caller's own queues).
  private Future<QueueInfo> queue(Principal caller, String queueId, String access) {
    return queues.get(caller.accountId(), queueId).compose(queue -> {
      try {
        caller.check(Scope.LISTENERS, access, queue.id(), queue.name());
        return Future.succeededFuture(queue);
      } catch (FerryException forbidden) {
        return Future.failedFuture(forbidden);
      }
    });
  }

  private Future<Owned> owned(Principal caller, String queueId, String listenerId, String access) {
    return queue(caller, queueId, access).compose(queue -> listeners.listener(listenerId).compose(listener ->
        listener != null && listener.queueId().equals(queue.id())
            ? Future.succeededFuture(new Owned(queue, listener))
            : Future.failedFuture(notFound(listenerId))));
  }

  private void announceUpdate(Owned before, Listener updated) {
    if (!updated.equals(before.listener())) {
      events.publish(EventTypes.LISTENER_UPDATED, updated.accountId(), updated.id(),
          payload(before.queue(), updated).put("enabled", updated.enabled()));
    }
  }

  private static void requireName(String name) {
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw FerryException.invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
  }

  static JsonObject payload(QueueInfo queue, Listener listener) {
    return QueueService.payload(queue).put("listener_id", listener.id());
  }

  static FerryException notFound(String listenerId) {
    return new FerryException(ErrorCode.NOT_FOUND, "listener " + listenerId + " not found");
  }
}

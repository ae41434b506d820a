package io.ferry.admin.core;

import io.ferry.admin.bus.AdminEvents;
import io.ferry.admin.bus.MessagingCommands;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.Listener;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Webhook listeners of queues: each one is a subscription in messaging-service, delivered by the dispatcher. */
public final class ListenerService {

  public static final int MAX_NAME_LENGTH = 256;

  private final AdminStore store;
  private final QueueService queues;
  private final MessagingCommands messaging;
  private final AdminEvents events;

  public ListenerService(AdminStore store, QueueService queues, MessagingCommands messaging, AdminEvents events) {
    this.store = store;
    this.queues = queues;
    this.messaging = messaging;
    this.events = events;
  }

  public Future<Listener> create(String accountId, String queueId, String name, String notifyUrl,
      String livenessUrl) {
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      return Future.failedFuture(FerryException.invalidField("name",
          "must be 1 to " + MAX_NAME_LENGTH + " characters"));
    }
    try {
      WebhookUrls.require("notify_url", notifyUrl);
      WebhookUrls.require("liveness_url", livenessUrl);
    } catch (FerryException invalid) {
      return Future.failedFuture(invalid);
    }
    return queues.get(accountId, queueId).compose(queue -> {
      Listener listener = new Listener(Ids.newId(), accountId, queueId, name, notifyUrl, livenessUrl,
          Secrets.newListenerSecret(), System.currentTimeMillis());
      return store.insertListener(listener)
          .compose(v -> messaging.upsertSubscription(Subscriptions.of(listener)).recover(failure -> {
            // The command may have been applied even though its answer was lost.
            Compensation.bestEffort(messaging.deleteSubscription(accountId, listener.id()),
                "removing subscription " + listener.id() + " from messaging-service");
            return Compensation.revert(store.deleteListener(listener.id()), failure);
          }))
          .onSuccess(v -> events.publish(EventTypes.LISTENER_CREATED, accountId, listener.id(),
              QueueService.payload(queue).put("listener_id", listener.id()).put("listener_name", name)))
          .map(listener);
    });
  }

  public Future<List<Listener>> ofQueue(String accountId, String queueId) {
    return queues.get(accountId, queueId).compose(queue -> store.listeners(queueId));
  }

  public Future<List<Listener>> ofAccount(String accountId) {
    return store.accountListeners(accountId);
  }

  /** One listener with its secret, for the dispatcher; a {@code null} account is an internal caller. */
  public Future<ListenerInfo> info(ResourceRef ref) {
    return store.listener(ref.id()).compose(listener -> {
      if (listener == null || (ref.accountId() != null && !listener.accountId().equals(ref.accountId()))) {
        return Future.failedFuture(new FerryException(ErrorCode.NOT_FOUND, "listener " + ref.id() + " not found"));
      }
      return info(listener);
    });
  }

  public Future<ListenerList> all() {
    return store.allListeners().compose(listeners -> {
      List<Future<ListenerInfo>> infos = new ArrayList<>();
      listeners.forEach(listener -> infos.add(info(listener)));
      return Future.all(infos).map(done -> new ListenerList(done.<ListenerInfo>list()));
    });
  }

  private Future<ListenerInfo> info(Listener listener) {
    return store.queue(listener.queueId()).map(queue -> new ListenerInfo(listener.id(), listener.accountId(),
        listener.queueId(), queue == null ? null : queue.name(), listener.name(), listener.notifyUrl(),
        listener.livenessUrl(), listener.secret()));
  }
}

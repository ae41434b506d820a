package io.ferry.admin.core;

import io.ferry.admin.model.Listener;
import io.ferry.admin.store.ListenerRecords;
import io.ferry.admin.store.QueueRecords;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Listeners as the dispatcher sees them: lookups with their signing secrets, the 410 Gone that disables one, and
 * the liveness it reports after each check.
 */
public final class ListenerDirectory {

  static final String GONE_REASON = "the receiver answered 410 Gone";

  private final ListenerRecords listeners;
  private final QueueRecords queues;
  private final AdminEvents events;
  private final LivenessReports liveness;

  public ListenerDirectory(ListenerRecords listeners, QueueRecords queues, AdminEvents events,
      LivenessReports liveness) {
    this.listeners = listeners;
    this.queues = queues;
    this.events = events;
    this.liveness = liveness;
  }

  /** One listener with its secret; a {@code null} account is an internal caller. */
  public Future<ListenerInfo> info(ResourceRef ref) {
    return find(ref).compose(this::info);
  }

  public Future<ListenerList> all() {
    return listeners.allListeners().compose(all -> {
      List<Future<ListenerInfo>> infos = new ArrayList<>();
      all.forEach(listener -> infos.add(info(listener)));
      return Future.all(infos).map(done -> new ListenerList(done.<ListenerInfo>list()));
    });
  }

  /** Disables the listener durably and announces {@code listener.disabled}; disabling it again changes nothing. */
  public Future<Ack> disable(ResourceRef ref) {
    return find(ref).compose(listener -> {
      if (!listener.enabled()) {
        return Future.succeededFuture(Ack.INSTANCE);
      }
      return listeners.updateListener(listener.id(), current -> current.withEnabled(false))
          .compose(disabled -> queues.queue(disabled.queueId()))
          .map(queue -> {
            // The queue is gone only if it was deleted meanwhile; the event still names it.
            JsonObject payload = queue != null ? QueueService.payload(queue)
                : new JsonObject().put("queue_id", listener.queueId());
            events.publish(EventTypes.LISTENER_DISABLED, listener.accountId(), listener.id(),
                payload.put("listener_id", listener.id()).put("reason", GONE_REASON));
            return Ack.INSTANCE;
          });
    });
  }

  /** Keeps the report for the listener object; reports of listeners that no longer exist are dropped. */
  public Future<Void> reportLiveness(ListenerLiveness report) {
    return listeners.listener(report.listenerId()).map(listener -> {
      if (listener != null) {
        liveness.record(report);
      }
      return null;
    });
  }

  private Future<Listener> find(ResourceRef ref) {
    return listeners.listener(ref.id()).compose(listener ->
        listener == null || (ref.accountId() != null && !listener.accountId().equals(ref.accountId()))
            ? Future.failedFuture(ListenerService.notFound(ref.id()))
            : Future.succeededFuture(listener));
  }

  private Future<ListenerInfo> info(Listener listener) {
    return queues.queue(listener.queueId()).map(queue -> new ListenerInfo(listener.id(), listener.accountId(),
        listener.queueId(), queue == null ? null : queue.name(), listener.name(), listener.notifyUrl(),
        listener.livenessUrl(), listener.secret(), listener.enabled()));
  }
}

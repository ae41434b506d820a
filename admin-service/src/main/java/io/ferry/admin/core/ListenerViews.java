package io.ferry.admin.core;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes listeners into {@link ListenerView}s: liveness from the dispatcher's latest report, counters from
 * messaging-service. When messaging-service does not answer, the view fails (UNAVAILABLE) rather than showing
 * counters nobody measured.
 */
public final class ListenerViews {

  private static final SubscriptionStats NOTHING_DELIVERED = new SubscriptionStats(0, 0, List.of());

  private final DeliveryQueries deliveries;
  private final LivenessReports liveness;

  public ListenerViews(DeliveryQueries deliveries, LivenessReports liveness) {
    this.deliveries = deliveries;
    this.liveness = liveness;
  }

  public Future<ListenerView> of(Listener listener) {
    return deliveries.stats(listener.queueId(), listener.id())
        .recover(failure -> unknownSubscription(failure)
            // Between storing a new listener and messaging-service taking its subscription (or until a
            // restarted messaging-service has reconciled), nothing has been delivered: zero is the truth.
            ? Future.succeededFuture(NOTHING_DELIVERED)
            : Future.failedFuture(failure))
        .map(stats -> new ListenerView(listener, liveness.of(listener.id()), stats));
  }

  /** Views of every listener, in the same order, fetched in parallel. */
  public Future<List<ListenerView>> of(List<Listener> listeners) {
    List<Future<ListenerView>> views = new ArrayList<>(listeners.size());
    listeners.forEach(listener -> views.add(of(listener)));
    return Future.all(views).map(all -> all.<ListenerView>list());
  }

  private static boolean unknownSubscription(Throwable failure) {
    return failure instanceof FerryException fe && fe.code() == ErrorCode.NOT_FOUND;
  }
}

package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dispatcher asks and tells admin-service: the listeners to deliver to, with their signing secrets;
 * their liveness; that a receiver answered 410 Gone.
 */
public final class AdminClient {

  private static final Logger LOG = LoggerFactory.getLogger(AdminClient.class);
  /** A liveness report is superseded by the next one; it is not worth waiting long for. */
  private static final long REPORT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public AdminClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<List<ListenerInfo>> allListeners() {
    return Bus.<ListenerList>request(vertx, Addresses.LISTENERS_ALL, null).map(ListenerList::listeners);
  }

  /** Fails with NOT_FOUND when the listener no longer exists. */
  public Future<ListenerInfo> listener(String listenerId) {
    return Bus.request(vertx, Addresses.LISTENER_GET, new ResourceRef(null, listenerId));
  }

  /** Asks admin to disable the listener durably (its receiver answered 410); admin announces it. */
  public Future<Void> disable(String listenerId) {
    return Bus.request(vertx, Addresses.LISTENER_DISABLE, new ResourceRef(null, listenerId)).mapEmpty();
  }

  /** Fire and forget: the listener object shows the latest report; a lost one is replaced by the next. */
  public void reportLiveness(ListenerLiveness liveness) {
    Bus.request(vertx, Addresses.LISTENER_LIVENESS_REPORT, liveness, REPORT_TIMEOUT_MS)
        .onFailure(e -> LOG.debug("liveness of listener {} not reported: {}", liveness.listenerId(),
            e.getMessage()));
  }
}

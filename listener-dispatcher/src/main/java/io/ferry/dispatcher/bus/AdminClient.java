package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.dispatcher.core.ListenerAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dispatcher's questions and reports to admin-service, over the event bus. */
public final class AdminClient implements ListenerAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(AdminClient.class);
  /** A liveness report is superseded by the next one; it is not worth waiting long for. */
  private static final long REPORT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  public AdminClient(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<List<ListenerInfo>> allListeners() {
    return Bus.request(vertx, Endpoints.LISTENERS_ALL, null).map(ListenerList::listeners);
  }

  @Override
  public Future<ListenerInfo> listener(String listenerId) {
    return Bus.request(vertx, Endpoints.LISTENER_GET, new ResourceRef(null, listenerId));
  }

  @Override
  public Future<Void> disable(String listenerId) {
    return Bus.request(vertx, Endpoints.LISTENER_DISABLE, new ResourceRef(null, listenerId)).mapEmpty();
  }

  @Override
  public void reportLiveness(ListenerLiveness liveness) {
    Bus.request(vertx, Endpoints.LISTENER_LIVENESS_REPORT, liveness, REPORT_TIMEOUT_MS)
        .onFailure(e -> LOG.debug("liveness of listener {} not reported: {}", liveness.listenerId(),
            e.getMessage()));
  }
}

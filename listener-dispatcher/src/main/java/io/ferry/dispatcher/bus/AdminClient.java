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

/** The dispatcher's questions and reports to admin-service, over the event bus. */
public final class AdminClient implements ListenerAdmin {

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

  // Published, not sent: every admin instance keeps the latest report, and the next check supersedes a lost one.
  @Override
  public void reportLiveness(ListenerLiveness liveness) {
    Bus.publish(vertx, Endpoints.LISTENER_LIVENESS, liveness);
  }
}

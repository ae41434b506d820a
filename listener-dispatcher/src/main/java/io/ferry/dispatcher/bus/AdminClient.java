package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** What the dispatcher asks admin-service: the listeners to deliver to, with their signing secrets. */
public final class AdminClient {

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
}

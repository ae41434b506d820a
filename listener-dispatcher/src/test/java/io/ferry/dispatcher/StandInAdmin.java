package io.ferry.dispatcher;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for admin-service: knows the test's listeners. */
final class StandInAdmin {

  private final Vertx vertx;
  final Map<String, ListenerInfo> listeners = new ConcurrentHashMap<>();

  StandInAdmin(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> serve() {
    return Future.all(
        Bus.<Object, ListenerList>serve(vertx, Addresses.LISTENERS_ALL,
            none -> Future.succeededFuture(new ListenerList(List.copyOf(listeners.values())))),
        Bus.<ResourceRef, ListenerInfo>serve(vertx, Addresses.LISTENER_GET, this::get)).mapEmpty();
  }

  private Future<ListenerInfo> get(ResourceRef ref) {
    ListenerInfo listener = listeners.get(ref.id());
    return listener != null ? Future.succeededFuture(listener)
        : Future.failedFuture(new FerryException(ErrorCode.NOT_FOUND, "listener not found"));
  }
}

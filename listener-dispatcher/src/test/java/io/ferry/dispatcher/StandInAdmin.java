package io.ferry.dispatcher;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.ResourceRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for admin-service: knows the test's listeners, records disablings and liveness reports. */
final class StandInAdmin {

  private final Vertx vertx;
  final Map<String, ListenerInfo> listeners = new ConcurrentHashMap<>();
  final List<String> disabled = new CopyOnWriteArrayList<>();
  final List<ListenerLiveness> livenessReports = new CopyOnWriteArrayList<>();

  StandInAdmin(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> serve() {
    return Future.all(List.of(
        Bus.<Object, ListenerList>serve(vertx, Addresses.LISTENERS_ALL,
            none -> Future.succeededFuture(new ListenerList(List.copyOf(listeners.values())))),
        Bus.<ResourceRef, ListenerInfo>serve(vertx, Addresses.LISTENER_GET, this::get),
        Bus.<ResourceRef, Ack>serve(vertx, Addresses.LISTENER_DISABLE, ref -> {
          disabled.add(ref.id());
          return Future.succeededFuture(Ack.INSTANCE);
        }),
        Bus.subscribe(vertx, Endpoints.LISTENER_LIVENESS, livenessReports::add).completion())).mapEmpty();
  }

  ListenerLiveness lastLiveness(String listenerId) {
    List<ListenerLiveness> reports = livenessReports.stream().filter(r -> r.listenerId().equals(listenerId)).toList();
    return reports.isEmpty() ? null : reports.get(reports.size() - 1);
  }

  private Future<ListenerInfo> get(ResourceRef ref) {
    ListenerInfo listener = listeners.get(ref.id());
    return listener != null ? Future.succeededFuture(listener)
        : Future.failedFuture(new FerryException(ErrorCode.NOT_FOUND, "listener not found"));
  }
}

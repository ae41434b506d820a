package io.ferry.admin.api.bus;

import io.ferry.admin.core.Authenticator;
import io.ferry.admin.core.ListenerDirectory;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.Topology;
import io.ferry.contracts.auth.TokenSecret;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Topic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What admin-service answers other services over the event bus: auth (and the generate_jwt secret, for
 * services verifying those tokens themselves), queue lookups, topology, listeners; and the liveness reports
 * dispatchers publish to every admin instance.
 */
public final class AdminBusApi {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBusApi.class);

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final QueueService queues;
  private final Topology topology;
  private final ListenerDirectory listeners;
  private final TokenSecret tokenSecret;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public AdminBusApi(Vertx vertx, Authenticator authenticator, QueueService queues, Topology topology,
      ListenerDirectory listeners, TokenSecret tokenSecret) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.queues = queues;
    this.topology = topology;
    this.listeners = listeners;
    this.tokenSecret = tokenSecret;
  }

  /** Registers every consumer; completes once they have reached the cluster. */
  public Future<Void> register() {
    return Future.all(List.of(
        track(Bus.serve(vertx, Endpoints.AUTH_AUTHENTICATE, authenticator::authenticate)),
        track(Bus.serve(vertx, Endpoints.AUTH_TOKEN_SECRET,
            ignored -> Future.succeededFuture(tokenSecret))),
        track(Bus.serve(vertx, Endpoints.QUEUE_LOOKUP, queues::lookup)),
        track(Bus.serve(vertx, Endpoints.TOPOLOGY_SNAPSHOT, ignored -> topology.snapshot())),
        track(Bus.serve(vertx, Endpoints.LISTENER_GET, listeners::info)),
        track(Bus.serve(vertx, Endpoints.LISTENERS_ALL, ignored -> listeners.all())),
        track(subscribe(Endpoints.LISTENER_LIVENESS, listeners::reportLiveness)),
        track(Bus.serve(vertx, Endpoints.LISTENER_DISABLE, listeners::disable))))
        .mapEmpty();
  }

  public Future<Void> unregister() {
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(consumer -> done.add(consumer.unregister()));
    consumers.clear();
    return Future.join(done).mapEmpty();
  }

  private <T> Future<MessageConsumer<T>> subscribe(Topic<T> topic, Function<T, Future<Void>> handler) {
    MessageConsumer<T> consumer = Bus.subscribe(vertx, topic, payload -> handler.apply(payload)
        .onFailure(e -> LOG.warn("{}: {}", topic, e.getMessage())));
    return consumer.completion().map(consumer);
  }

  private <T> Future<MessageConsumer<T>> track(Future<MessageConsumer<T>> registration) {
    return registration.onSuccess(consumers::add);
  }
}

package io.ferry.dispatcher.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry against an admin that is sometimes unreachable. */
class ListenerRegistryTest {

  private static final long RECONCILE_INTERVAL_MS = 100;
  // Without held lease requests, so that an idle worker asks messaging only once a second.
  private static final DispatcherConfig CONFIG = DispatcherConfigs.of(new JsonObject()
      .put("dispatcher.lease-wait-ms", 0)
      .put("dispatcher.reconcile-interval-ms", RECONCILE_INTERVAL_MS));

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final UnreachableForDetails admin = new UnreachableForDetails();
  private final ListenerRegistry registry = new ListenerRegistry(vertx, admin,
      listener -> new ListenerWorker(services(), listener), RECONCILE_INTERVAL_MS);

  @AfterEach
  void stop() throws Exception {
    Future<Void> stopped = Future.future(promise -> context.runOnContext(v -> registry.stop(1_000)
        .onComplete(promise)));
    stopped.compose(v -> vertx.close()).await();
  }

  @Test
  void aListenerWhoseDetailsCouldNotBeFetchedIsStartedByTheNextReconciliation() {
    context.runOnContext(v -> registry.start());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(registry::loaded);

    ListenerInfo created = new ListenerInfo("l1", "acct", "q1", "orders", "hook", "https://hooks.example/",
        null, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    admin.listeners.put(created.id(), created);
    context.runOnContext(v -> registry.onEvent(new FerryEvent("e1", EventTypes.LISTENER_CREATED, "acct",
        created.id(), System.currentTimeMillis(), new JsonObject())));

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> registry.activeListenerIds().contains(created.id()));
  }

  private DispatcherServices services() {
    Leases idle = new Leases() {
      @Override
      public Future<LeaseBatch> lease(LeaseRequest request) {
        return Future.succeededFuture(new LeaseBatch(List.of(), null));
      }

      @Override
      public Future<AckResult> settle(AckRequest request) {
        return Future.succeededFuture(new AckResult(0, 0, Map.of()));
      }
    };
    DeliveryEvents ignored = new DeliveryEvents() {
      @Override
      public void deliveryExhausted(ListenerInfo listener, String messageId, int attempts) {
      }

      @Override
      public void livenessChanged(ListenerInfo listener, ListenerLiveness liveness) {
      }
    };
    WebhookClient unused = new WebhookClient() {
      @Override
      public Future<DeliveryOutcome> send(WebhookRequest request) {
        return Future.succeededFuture(DeliveryOutcome.fromStatus(200));
      }

      @Override
      public Future<DeliveryOutcome> probe(String url, int timeoutMs) {
        return Future.succeededFuture(DeliveryOutcome.fromStatus(200));
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    return new DispatcherServices(vertx, CONFIG, idle, admin, ignored, unused, RetryPolicy.from(CONFIG),
        new WebhookMeters(null));
  }

  /** Lists its listeners, but cannot be reached for one listener's details. */
  private static final class UnreachableForDetails implements ListenerAdmin {

    final Map<String, ListenerInfo> listeners = new ConcurrentHashMap<>();

    @Override
    public Future<List<ListenerInfo>> allListeners() {
      return Future.succeededFuture(List.copyOf(listeners.values()));
    }

    @Override
    public Future<ListenerInfo> listener(String listenerId) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "admin is unreachable"));
    }

    @Override
    public Future<Void> disable(String listenerId) {
      return Future.succeededFuture();
    }

    @Override
    public void reportLiveness(ListenerLiveness liveness) {
    }
  }
}

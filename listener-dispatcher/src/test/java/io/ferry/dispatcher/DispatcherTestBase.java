package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A local Vert.x with stand-ins for admin and messaging, a real webhook receiver, and the module under test. */
abstract class DispatcherTestBase {

  /** Generous: the first exchange of a JVM loads many classes, and the build machine may be busy. */
  static final int REQUEST_TIMEOUT_MS = 3_000;
  static final int MAX_IN_FLIGHT = 4;
  static final int LEASE_WAIT_MS = 100;
  static final int MAX_ATTEMPTS = 5;
  /** The test receiver listens on loopback, which the default SSRF policy refuses. */
  static final List<String> LOOPBACK = List.of("127.0.0.0/8");
  static final DispatcherConfig CONFIG = config(MAX_ATTEMPTS, 5_000, 300_000, 30_000, 3, LOOPBACK);
  /** Jitter pinned to the middle, so delays are exactly 5 s × 2^(attempt−1). */
  static final RetryPolicy NO_JITTER = new RetryPolicy(5_000, 300_000, 0.2, () -> 0.5);

  Vertx vertx;
  StandInAdmin admin;
  StandInMessaging messaging;
  WebhookReceiver receiver;
  DispatcherModule module;
  final List<FerryEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUpStandIns() throws Exception {
    vertx = newVertx();
    Codecs.registerAll(vertx.eventBus());
    admin = new StandInAdmin(vertx);
    messaging = new StandInMessaging(vertx);
    receiver = new WebhookReceiver(vertx);
    await(messaging.serve());
    await(receiver.start());
    await(vertx.eventBus().<FerryEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
        .completion());
    module = DispatcherModule.create(CONFIG, NO_JITTER);
  }

  /** The Vert.x the test runs on; tests that read {@code /metrics} enable metrics on theirs. */
  Vertx newVertx() {
    return Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(module.stop().otherwiseEmpty());
    await(vertx.close());
  }

  /** The test defaults with the given attempts, retry schedule, liveness checks and allow-list. */
  static DispatcherConfig config(int maxAttempts, long retryInitialMs, long retryMaxMs, long livenessIntervalMs,
      int livenessFailureThreshold, List<String> allowList) {
    return DispatcherConfigs.of(new JsonObject()
        .put("dispatcher.request-timeout-ms", REQUEST_TIMEOUT_MS)
        .put("dispatcher.max-in-flight-per-listener", MAX_IN_FLIGHT)
        .put("dispatcher.lease-wait-ms", LEASE_WAIT_MS)
        .put("dispatcher.max-attempts", maxAttempts)
        .put("dispatcher.retry-initial-ms", retryInitialMs)
        .put("dispatcher.retry-max-ms", retryMaxMs)
        .put("dispatcher.liveness-interval-ms", livenessIntervalMs)
        .put("dispatcher.liveness-timeout-ms", 500)
        .put("dispatcher.liveness-failure-threshold", livenessFailureThreshold)
        // A lone instance listens for two heartbeats before it checks liveness: keep that short.
        .put("dispatcher.peer-heartbeat-ms", 50)
        .put("webhooks.allow-list", new JsonArray(allowList)));
  }

  /** A listener without a liveness URL, so that it is never checked. */
  static ListenerInfo listener(String queueId, String notifyUrl) {
    return listener(queueId, notifyUrl, null);
  }

  static ListenerInfo listener(String queueId, String notifyUrl, String livenessUrl) {
    byte[] key = new byte[24];
    ThreadLocalRandom.current().nextBytes(key);
    return new ListenerInfo(Ids.newId(), "acct", queueId, "orders", "hook", notifyUrl, livenessUrl,
        "whsec_" + Base64.getEncoder().encodeToString(key));
  }

  /** Registers the listener with the stand-in admin, which starts answering. */
  ListenerInfo serve(ListenerInfo listener) throws Exception {
    admin.listeners.put(listener.id(), listener);
    await(admin.serve());
    return listener;
  }

  /**
   * A listener on a queue of its own that is never offered a message: its lease requests (one per lease wait)
   * mark time for the other listeners. Known to admin; loaded at start, or announced with listener.created.
   */
  ListenerInfo witness() {
    ListenerInfo witness = listener("q-witness", receiver.url("/witness"));
    admin.listeners.put(witness.id(), witness);
    return witness;
  }

  /**
   * {@code stopped} leases no more. The running {@code witness} leases from the same event loop, so once two
   * more of its requests arrived, every request the stopped worker sent before stopping has arrived too;
   * while the witness then leases three more times, the stopped listener must not lease at all.
   */
  void assertLeasesNoMore(ListenerInfo stopped, ListenerInfo witness) {
    waitUntil("the worker is stopped").until(() -> !module.registry().activeListenerIds().contains(stopped.id()));
    long before = messaging.leaseCount(witness.id());
    waitUntil("the witness leases twice more").until(() -> messaging.leaseCount(witness.id()) >= before + 2);
    long settled = messaging.leaseCount(stopped.id());
    long marker = messaging.leaseCount(witness.id());
    waitUntil("the witness leases three more times").until(() -> messaging.leaseCount(witness.id()) >= marker + 3);
    assertEquals(settled, messaging.leaseCount(stopped.id()), "still leasing after it was stopped");
  }

  List<FerryEvent> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Waits (up to 10 s, looking every 20 ms) until {@code what} holds. */
  static ConditionFactory waitUntil(String what) {
    return Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  }
}

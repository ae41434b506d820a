package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.config.DispatcherConfig;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.dispatcher.core.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A local Vert.x with stand-ins for admin and messaging, a real webhook receiver, and the module under test. */
abstract class DispatcherTestBase {

  static final int REQUEST_TIMEOUT_MS = 1_000;
  static final int MAX_IN_FLIGHT = 4;
  static final int LEASE_WAIT_MS = 100;
  static final DispatcherConfig CONFIG = new DispatcherConfig(null, REQUEST_TIMEOUT_MS, MAX_IN_FLIGHT,
      LEASE_WAIT_MS);
  /** Jitter pinned to the middle, so delays are exactly 5 s × 2^(attempt−1). */
  static final RetryPolicy NO_JITTER = new RetryPolicy(5, 300, 0.2, () -> 0.5);

  Vertx vertx;
  StandInAdmin admin;
  StandInMessaging messaging;
  WebhookReceiver receiver;
  DispatcherModule module;

  @BeforeEach
  void setUpStandIns() throws Exception {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    admin = new StandInAdmin(vertx);
    messaging = new StandInMessaging(vertx);
    receiver = new WebhookReceiver(vertx);
    await(messaging.serve());
    await(receiver.start());
    module = DispatcherModule.create(CONFIG, NO_JITTER);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(module.stop().otherwiseEmpty());
    await(vertx.close());
  }

  static ListenerInfo listener(String queueId, String notifyUrl) {
    byte[] key = new byte[24];
    ThreadLocalRandom.current().nextBytes(key);
    return new ListenerInfo(Ids.newId(), "acct", queueId, "orders", "hook", notifyUrl, notifyUrl,
        "whsec_" + Base64.getEncoder().encodeToString(key));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}

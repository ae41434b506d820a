package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness follows the store's probe: up when it succeeds, down when it fails, does not answer, or is absent. */
class StoreReadinessTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Futures.await(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void upWhileTheProbeSucceedsAndDownWhileItFails() {
    AtomicReference<Future<Void>> answer = new AtomicReference<>(Future.succeededFuture());
    HealthChecks checks = checks(answer::get);
    assertEquals("UP", status(checks).getString("status"));

    answer.set(Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "the database does not answer")));
    JsonObject down = status(checks);
    assertEquals("DOWN", down.getString("status"), down.encode());
    assertTrue(down.encode().contains("the database does not answer"), down.encode());

    answer.set(Future.succeededFuture());
    assertEquals("UP", status(checks).getString("status"));
  }

  @Test
  void aProbeThatDoesNotAnswerWithinTheTimeoutIsDown() {
    HealthChecks checks = checks(() -> Promise.<Void>promise().future());
    long started = System.nanoTime();
    assertEquals("DOWN", status(checks).getString("status"));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < StoreReadiness.PROBE_TIMEOUT_MS + 2_000, "took " + tookMs + " ms");
  }

  @Test
  void aStoreNotOpenYetOrAProbeThatThrowsIsDown() {
    assertEquals("DOWN", status(checks(() -> null)).getString("status"));
    assertEquals("DOWN", status(checks(() -> {
      throw new IllegalStateException("closed");
    })).getString("status"));
  }

  private HealthChecks checks(Supplier<Future<Void>> probe) {
    HealthChecks checks = HealthChecks.create(vertx);
    StoreReadiness.register(checks, "store", probe);
    return checks;
  }

  private static JsonObject status(HealthChecks checks) {
    CheckResult result = Futures.await(checks.checkStatus(), Duration.ofSeconds(10));
    return result.toJson();
  }
}

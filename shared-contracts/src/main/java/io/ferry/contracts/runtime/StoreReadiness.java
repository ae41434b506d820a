package io.ferry.contracts.runtime;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.Supplier;

/**
 * A readiness check that follows a store: up while the store's probe succeeds within
 * {@link #PROBE_TIMEOUT_MS}, down otherwise, so an orchestrator stops routing to a service whose database is
 * away and routes to it again once it answers.
 */
public final class StoreReadiness {

  /** A probe that has not answered by then counts as down: a database that slow cannot serve requests either. */
  public static final long PROBE_TIMEOUT_MS = 1_000;

  private StoreReadiness() {
  }

  /** Registers check {@code name}, asking {@code probe} each time readiness is asked; a {@code null} probe is down. */
  public static void register(HealthChecks checks, String name, Supplier<Future<Void>> probe) {
    checks.register(name, PROBE_TIMEOUT_MS, promise -> probe(probe).onComplete(probed -> promise.tryComplete(
        probed.succeeded() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", String.valueOf(probed.cause().getMessage()))))));
  }

  private static Future<Void> probe(Supplier<Future<Void>> probe) {
    try {
      Future<Void> probed = probe.get();
      return probed != null ? probed
          : Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "the store is not open yet"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}

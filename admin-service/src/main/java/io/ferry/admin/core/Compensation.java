package io.ferry.admin.core;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Undoing the earlier steps of a request whose later step failed, without losing the original failure.
final class Compensation {

  private static final Logger LOG = LoggerFactory.getLogger(Compensation.class);

  private Compensation() {
  }

  // Waits for undo, then fails with failure whatever the undo's outcome.
  static <T> Future<T> revert(Future<?> undo, Throwable failure) {
    return undo.transform(ar -> {
      if (ar.failed()) {
        LOG.error("could not undo a partly applied change after: {}", failure.getMessage(), ar.cause());
      }
      return Future.failedFuture(failure);
    });
  }

  // Starts a best-effort clean-up whose outcome the request does not wait for.
  static void bestEffort(Future<?> cleanup, String what) {
    cleanup.onFailure(e -> LOG.warn("{} failed: {}", what, e.getMessage()));
  }
}

package io.ferry.contracts.testkit;

import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting on a Vert.x future from a test thread. */
public final class Futures {

  private Futures() {
  }

  /** The future's result; fails the test if it fails or does not complete within {@code timeout}. */
  public static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The domain error the future failed with; fails the test if it succeeds or does not complete. */
  public static FerryException failure(Future<?> future, Duration timeout) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return FerryException.from(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

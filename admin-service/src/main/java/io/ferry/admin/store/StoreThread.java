package io.ferry.admin.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

// The one thread that touches the database. Running every write on it keeps them in submission order and
// makes check-then-write invariants atomic; results go back to the caller's Vert.x context so that callers
// never see a store thread in their callbacks.
final class StoreThread {

  private final Vertx vertx;
  private final ExecutorService executor;

  StoreThread(Vertx vertx, String name) {
    this.vertx = vertx;
    this.executor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  <T> Future<T> submit(Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable failure) {
          context.runOnContext(v -> promise.fail(failure));
        }
      });
    } catch (RejectedExecutionException closed) {
      return Future.failedFuture(closed());
    }
    return promise.future();
  }

  // Runs last after everything already submitted, then lets the thread end.
  Future<Void> finish(Callable<Void> last) {
    Future<Void> done = submit(last);
    executor.shutdown();
    return done;
  }

  static FerryException closed() {
    return new FerryException(ErrorCode.UNAVAILABLE, "the admin store is closed");
  }
}

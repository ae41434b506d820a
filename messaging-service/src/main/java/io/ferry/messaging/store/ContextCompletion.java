package io.ferry.messaging.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A promise that a storage thread completes and whose outcome is delivered on the Vert.x context of the
 * code that asked, so callers keep their single-threaded view of their own state.
 */
final class ContextCompletion<T> {

  private final Promise<T> promise = Promise.promise();
  private final Context context = Vertx.currentContext();

  Future<T> future() {
    return promise.future();
  }

  void succeed(T value) {
    deliver(Future.succeededFuture(value));
  }

  void fail(Throwable failure) {
    deliver(Future.failedFuture(failure));
  }

  private void deliver(AsyncResult<T> result) {
    if (context == null) {
      promise.handle(result);
    } else {
      context.runOnContext(v -> promise.handle(result));
    }
  }
}

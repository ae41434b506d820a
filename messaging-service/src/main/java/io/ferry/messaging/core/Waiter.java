package io.ferry.messaging.core;

import io.ferry.contracts.model.LeaseBatch;
import io.vertx.core.Promise;

/** A lease request parked until a message is ready or its wait ends. */
final class Waiter {

  final int batchSize;
  final int visibilityTimeoutMs;
  final Promise<LeaseBatch> promise;
  long timerId;

  Waiter(int batchSize, int visibilityTimeoutMs, Promise<LeaseBatch> promise) {
    this.batchSize = batchSize;
    this.visibilityTimeoutMs = visibilityTimeoutMs;
    this.promise = promise;
  }
}

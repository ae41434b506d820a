package io.ferry.gateway.core;

import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;

/** Resolves queue names (served by admin-service, which owns queues). */
public interface QueueDirectory {

  /** The account's queue with this name; fails QUEUE_NOT_FOUND. */
  Future<QueueInfo> byName(String accountId, String name);
}

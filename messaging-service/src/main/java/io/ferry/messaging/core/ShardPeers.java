package io.ferry.messaging.core;

import io.vertx.core.Future;

/** A shard engine's way to the other shards of its process. */
interface ShardPeers {

  /**
   * Appends a copy of a dead-lettered message to a queue of another shard, durably before completing with
   * the copy's id ({@code null} when that queue does not exist).
   */
  Future<String> appendDeadLetterCopy(String queueId, NewMessage message);
}

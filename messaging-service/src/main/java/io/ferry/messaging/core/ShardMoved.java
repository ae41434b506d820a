package io.ferry.messaging.core;

/**
 * A shard engine refused a request because its shard is no longer this instance's (released or lost): the
 * request did not run, so it may be sent to the shard's owner instead.
 */
public final class ShardMoved extends RuntimeException {

  public ShardMoved(int shard) {
    super("shard " + shard + " is no longer served here", null, false, false);
  }
}

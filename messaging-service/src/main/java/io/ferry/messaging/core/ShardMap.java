package io.ferry.messaging.core;

/**
 * Which shard a queue belongs to: a stable hash (32-bit FNV-1a) of the queue id modulo the shard count.
 * Stable across processes, restarts and JVM versions (unlike {@code String.hashCode} spreading, it is part
 * of the deployment's contract once shards are owned by different instances), so the shard count is fixed
 * per deployment.
 */
public record ShardMap(int shards) {

  /** The most shards a deployment may have. */
  public static final int MAX_SHARDS = 4096;

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  public ShardMap {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException("shards must be between 1 and " + MAX_SHARDS + ", got " + shards);
    }
  }

  /** The shard of the queue with this id. */
  public int shardOf(String queueId) {
    int hash = FNV_OFFSET;
    for (int i = 0; i < queueId.length(); i++) {
      hash ^= queueId.charAt(i);
      hash *= FNV_PRIME;
    }
    return Integer.remainderUnsigned(hash, shards);
  }
}

package io.ferry.messaging.config;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.messaging.core.ShardMap;
import io.ferry.messaging.store.PgMessageStore;
import io.ferry.messaging.store.RocksMessageStore;

/**
 * messaging-service configuration. Default HTTP port 8082. {@code leaseSweepMs}: how often expired leases
 * are returned to the ready set. {@code bodyCacheBytes}: how many bytes of recently appended messages are kept
 * in memory so that pulls need not read their bodies back from storage.
 * {@code shards}: how many shards the queues are split into (fixed per deployment; see docs/sharding.md).
 * {@code postgresWriters}: with {@code storage.kind=postgres}, how many group-commit transactions the shards
 * may have in flight at once (shard {@code s} commits through writer {@code s % postgresWriters}).
 * {@code postgresPushTransactions}: how many transactions of pushes sharing no row one writer may have in flight
 * at once (docs/storage.md).
 * {@code shardLeaseMs}: with {@code storage.kind=postgres}, how long an instance's lease on a shard lasts
 * unrenewed, and so how long a dead instance's shards wait for another (docs/scale-out.md).
 * {@code forwardWaitMs}: how long a request for a shard another instance should own waits for an owner (while
 * the shard changes hands) before it fails UNAVAILABLE (docs/scale-out.md).
 */
public record MessagingConfig(NodeConfig node, StorageConfig storage, int leaseSweepMs,
    long bodyCacheBytes, int shards, int postgresWriters, int postgresPushTransactions, long shardLeaseMs,
    int forwardWaitMs) {

  public static final int DEFAULT_SHARDS = 64;

  public static final int DEFAULT_FORWARD_WAIT_MS = 5_000;

  public static final int DEFAULT_PORT = 8082;

  public static MessagingConfig from(ConfigReader r) {
    return from(r, NodeConfig.from(r, DEFAULT_PORT));
  }

  /** Reads the service's own keys; {@code node} comes from the hosting process. */
  public static MessagingConfig from(ConfigReader r, NodeConfig node) {
    StorageConfig storage = StorageConfig.from(r);
    return new MessagingConfig(node, storage,
        r.integer("messaging.lease-sweep-ms", 250, 10, 60_000),
        r.longValue("messaging.body-cache-bytes", storage.kind() == StorageConfig.Kind.POSTGRES
            ? PgMessageStore.DEFAULT_BODY_CACHE_BYTES : RocksMessageStore.DEFAULT_BODY_CACHE_BYTES, 0, 1L << 40),
        r.integer("messaging.shards", DEFAULT_SHARDS, 1, ShardMap.MAX_SHARDS),
        r.integer("messaging.postgres-writers", PgMessageStore.DEFAULT_WRITERS, 1, ShardMap.MAX_SHARDS),
        r.integer("messaging.postgres-push-transactions", PgMessageStore.DEFAULT_PUSH_TRANSACTIONS, 1, 64),
        r.longValue("messaging.shard-lease-ms", PgMessageStore.DEFAULT_SHARD_LEASE_MS, 1_000, 600_000),
        r.integer("messaging.forward-wait-ms", DEFAULT_FORWARD_WAIT_MS, 0, 600_000));
  }
}

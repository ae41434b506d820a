package io.ferry.messaging.store;

import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.runtime.backup.RocksCheckpoints;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * messaging-service's durable record: queues, subscriptions, messages, each subscription's pending entries
 * (missed ones included) and acknowledged counter, and each queue's last purge. Implementations never block
 * the caller's thread and complete every future on the caller's Vert.x context (when called from one).
 */
public interface MessageStore {

  /**
   * Makes every mutation of {@code batch} durable (on disk, synced) before the future succeeds. Concurrent
   * commits may share one sync; commits are applied in the order they were called.
   */
  Future<Void> commit(StoreBatch batch);

  /**
   * The store shard {@code shard} of the engine commits through: its commits become durable in the order they
   * were called among themselves, with no order against other shards' commits, so that a store able to run
   * several transactions at once runs shards side by side. Every other call is this store's. By default this
   * store itself (one order for every commit). A shard's queues are written by that shard only; whatever
   * must be durable before another shard's commit is sequenced by the caller (waiting for its future).
   */
  default MessageStore forShard(int shard) {
    return this;
  }

  /**
   * Who decides which of the deployment's {@code shards} shards this instance owns: by default this instance
   * owns every one, for good (an embedded store has one writer); a shared store leases them to instances.
   */
  default ShardOwnership shardOwnership(int shards) {
    return ShardOwnership.everyShard(shards);
  }

  /** Hands everything except message bodies to {@code visitor} (see its order), for recovery at start. */
  Future<Void> load(StoredStateVisitor visitor);

  /** The messages of a queue with these sequences, in the order asked; missing ones are left out. */
  Future<List<StoredMessage>> read(String queueId, List<Long> sequences);

  /**
   * Up to {@code limit} messages of a queue with {@code fromSequence <= sequence <= toSequence}, in sequence
   * order; when {@code key} is not {@code null}, only those whose {@code frameId()} (key, else id) equals it.
   */
  Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key, int limit);

  /**
   * Up to {@code limit} message headers of a queue with {@code fromSequence <= sequence <= toSequence}, in
   * sequence order, without their bodies.
   */
  Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit);

  /** The headers of the messages of a queue with these sequences, in the order asked; missing ones are left out. */
  Future<List<MessageHeader>> headers(String queueId, List<Long> sequences);

  /** How many durable syncs (or transactions) the store has performed; several commits may share one. */
  long syncCount();

  /** Whether the store accepts work. */
  boolean isOpen();

  /**
   * Succeeds when the store can serve now (for readiness): open, and for a database store, the database
   * answering; fails UNAVAILABLE otherwise.
   */
  default Future<Void> probe() {
    return isOpen() ? Future.succeededFuture()
        : Future.failedFuture(new io.ferry.contracts.error.FerryException(
            io.ferry.contracts.error.ErrorCode.UNAVAILABLE, "store is closed"));
  }

  /**
   * A consistent copy of the store in {@code target} (which must not exist), taken while it serves; fails
   * UNPROCESSABLE for a store that has no such copy (PostgreSQL: pg_dump backs it up).
   */
  default Future<StoreCheckpoint> checkpoint(Path target) {
    return Future.failedFuture(RocksCheckpoints.notEmbedded("messaging"));
  }

  /** Finishes every commit already asked for, then releases the storage. */
  Future<Void> close();
}

package io.ferry.admin.store;

import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.runtime.backup.RocksCheckpoints;
import io.vertx.core.Future;
import java.nio.file.Path;

/**
 * Durable records of admin-service, one area each: accounts and API keys, queues, consumers, listeners, event
 * subscriptions, audit trails, webhook attempt logs and server settings. A store implements each area on its own; services take only
 * the areas they use. Every write is durable when its future succeeds; lookups of missing records succeed with
 * {@code null}. Lists are in creation order (records created within the same millisecond in either order).
 * Futures complete on the caller's Vert.x context.
 *
 * <p>Invariants the store itself enforces, so that concurrent requests cannot break them: queue names are
 * unique per account and listener names per queue ({@code NAME_TAKEN}), a queue has at most one consumer of each type
 * ({@code CONSUMER_CONFLICT}), and consumers and listeners only attach to existing queues
 * ({@code QUEUE_NOT_FOUND}).
 */
public interface AdminStore {

  AccountRecords accounts();

  QueueRecords queues();

  ConsumerRecords consumers();

  ListenerRecords listeners();

  EventSubscriptionRecords eventSubscriptions();

  AuditRecords audit();

  AttemptRecords attempts();

  SettingRecords settings();

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
    return Future.failedFuture(RocksCheckpoints.notEmbedded("admin"));
  }

  /** Flushes and closes; later calls fail with UNAVAILABLE. */
  Future<Void> close();
}

package io.ferry.messaging.store;

import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.postgres.PostgresFailures;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.postgres.SchemaMigrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on PostgreSQL, in the tables of {@code db/messaging/V*.sql} ({@code messaging_*}).
 * Writes go through a {@link PgGroupCommit} (one transaction per group of commits): the store's own, and
 * with more than one writer configured, one per writer the engine's shards are spread over ({@link #forShard}),
 * each with at most one transaction in flight, so that up to as many transactions as the pool has connections
 * run at once while each writer's commits become durable in call order (more writers than connections wait
 * for one). Reads of messages are
 * answered from the {@link BodyCache} of recent appends, and what it does not hold by one query on the
 * messages' primary key; {@link #load} streams through cursors ({@link PgStartupScan}). A push's pending entries
 * are kept on its message rows rather than a row each ({@link PgPendingFor}).
 * Several messaging instances share a schema, each writing the shards it leases ({@link PgShardLeases},
 * handed out by {@link #shardOwnership}): every commit is fenced by its shard's epoch, so one of a shard this
 * instance does not own, or lost meanwhile, fails UNAVAILABLE and writes nothing.
 */
public final class PgMessageStore implements MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgMessageStore.class);
  /** The default bound of the body cache on PostgreSQL ({@code messaging.body-cache-bytes}). */
  public static final long DEFAULT_BODY_CACHE_BYTES = 64L << 20;
  /** The default number of shard writers ({@code messaging.postgres-writers}); see docs/storage.md. */
  public static final int DEFAULT_WRITERS = 1;
  /**
   * The default number of push transactions a writer may have in flight ({@code messaging.postgres-push-transactions});
   * see docs/storage.md.
   */
  public static final int DEFAULT_PUSH_TRANSACTIONS = 1;
  /** The default lease of a shard ({@code messaging.shard-lease-ms}); see docs/scale-out.md. */
  public static final long DEFAULT_SHARD_LEASE_MS = PgShardLeases.DEFAULT_LEASE_MS;
  private static final String MESSAGE_COLUMNS =
      "sequence, message_id, message_key, content_type, timestamp_ms, available_at_ms, body";
  // Bounded by each chunk's first and last sequence (PgSequenceChunks): with a new queue's stale statistics
  // the array alone was a filter over the queue's whole range of the primary key.
  static final String READ = "SELECT " + MESSAGE_COLUMNS + " FROM messaging_messages WHERE queue_id = $1"
      + " AND sequence = ANY($2::bigint[]) AND sequence >= $3 AND sequence <= $4";
  private static final String SCAN = "SELECT " + MESSAGE_COLUMNS
      + " FROM messaging_messages WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3"
      + " ORDER BY sequence LIMIT $4";
  private static final String SCAN_BY_KEY = "SELECT " + MESSAGE_COLUMNS
      + " FROM messaging_messages WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3"
      + " AND coalesce(message_key, message_id) = $4 ORDER BY sequence LIMIT $5";
  private static final String HEADERS_RANGE = "SELECT sequence, message_id, message_key FROM messaging_messages"
      + " WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3 ORDER BY sequence LIMIT $4";
  static final String HEADERS_OF = "SELECT sequence, message_id, message_key FROM messaging_messages"
      + " WHERE queue_id = $1 AND sequence = ANY($2::bigint[]) AND sequence >= $3 AND sequence <= $4";

  private final Pool pool;
  private final String schema;
  private final Pool leasePool;
  private final PgShardLeases leases;
  private final PgGroupCommit writer;
  private final Map<Integer, PgGroupCommit> shardWriters = new ConcurrentHashMap<>();
  private final BodyCache bodies;
  // Which queue each subscription belongs to, as far as this store wrote or loaded it (PgPendingFor).
  private final Map<String, String> queueOfSubscription = new ConcurrentHashMap<>();
  private final int writers;
  private final int pushTransactions;
  private volatile boolean open = true;
  private Future<Void> closing;

  private PgMessageStore(Pool pool, Pool leasePool, String schema, long bodyCacheBytes, int writers,
      int pushTransactions, PgShardLeases leases) {
    this.pool = pool;
    this.leasePool = leasePool;
    this.schema = schema;
    this.leases = leases;
    this.bodies = new BodyCache(bodyCacheBytes);
    this.writers = writers;
    this.pushTransactions = pushTransactions;
    this.writer = new PgGroupCommit(pool, leases, bodies, queueOfSubscription, pushTransactions);
  }

  /**
   * Connects to {@code pg} and brings the messaging tables to this build's version; the shards commit through
   * {@code writers} group-commit writers, each with a transaction in flight, once this instance owns them:
   * {@link #shardOwnership} leases them for {@code shardLeaseMs} at a time.
   */
  public static Future<PgMessageStore> open(Vertx vertx, PostgresConfig pg, long bodyCacheBytes, int writers,
      long shardLeaseMs) {
    return open(vertx, pg, bodyCacheBytes, writers, DEFAULT_PUSH_TRANSACTIONS, shardLeaseMs, null);
  }

  /**
   * As {@link #open(Vertx, PostgresConfig, long, int, long)}, each writer with up to {@code pushTransactions}
   * transactions of pushes in flight, leasing shards under {@code instanceName}: an instance started again
   * under the same name takes its own shards back at once rather than after their lease ({@code null}: a name
   * of its own, new every start).
   */
  public static Future<PgMessageStore> open(Vertx vertx, PostgresConfig pg, long bodyCacheBytes, int writers,
      int pushTransactions, long shardLeaseMs, String instanceName) {
    // A commit locks its shards' lease rows (PgShardFence) and a claim skips locked rows: an owner frozen
    // halfway through sending one would keep its shards from being taken over for as long as it stays frozen.
    // Half a lease, so that the locks go about when the lease runs out, not a lease after it.
    Pool pool = PostgresPools.create(vertx, pg, "ferry-messaging", Math.max(1_000, shardLeaseMs / 2));
    // The leases' rounds have a connection of their own, never queued behind the writers', and a statement
    // that hangs gives up well within a lease.
    Pool leasePool = PostgresPools.create(vertx, new PostgresConfig(pg.host(), pg.port(), pg.database(), pg.user(),
        pg.password(), pg.schema(), 1, Math.max(1, Math.min(pg.statementTimeoutMs(), shardLeaseMs / 3)),
        pg.connectTimeoutMs()), "ferry-messaging-leases");
    return SchemaMigrations.apply(pool, pg.schema(), "messaging")
        .map(version -> {
          LOG.info("message store open on PostgreSQL {}:{}/{}, schema {} (version {})", pg.host(), pg.port(),
              pg.database(), pg.schema(), version);
          return new PgMessageStore(pool, leasePool, pg.schema(), bodyCacheBytes, writers, pushTransactions,
              new PgShardLeases(vertx, leasePool, pg.schema(), shardLeaseMs, instanceName));
        })
        .recover(failed -> leasePool.close().eventually(pool::close).transform(closed -> Future.failedFuture(failed)));
  }

  // For tests, which open stores where every shard has a writer of its own, with pushes side by side.
  static Future<PgMessageStore> open(Vertx vertx, PostgresConfig pg) {
    return open(vertx, pg, DEFAULT_BODY_CACHE_BYTES, Integer.MAX_VALUE, 4, DEFAULT_SHARD_LEASE_MS, null);
  }

  /**
   * Commits outside any shard may touch any shard: they are fenced by every shard's epoch, so they fail
   * UNAVAILABLE unless this instance owns every shard (alone on the schema).
   */
  @Override
  public Future<Void> commit(StoreBatch batch) {
    return writer.submit(batch, PgGroupCommit.EVERY_SHARD);
  }

  /**
   * Shard {@code shard}'s commits are fenced by its epoch and go to writer {@code shard % writers} (made on
   * first use), with its own transaction in flight beside the other writers'; they share the pool and the
   * body cache. With one writer, every commit goes through this store's own writer, in one order.
   */
  @Override
  public MessageStore forShard(int shard) {
    return new ShardCommits(shard);
  }

  /** This store's shard leases on the schema (one per store), for {@code shards} shards. */
  @Override
  public ShardOwnership shardOwnership(int shards) {
    return leases.forShards(shards);
  }

  private PgGroupCommit writerOf(int shard) {
    PgGroupCommit shardWriter = shardWriters.get(shard);
    if (shardWriter != null) {
      return shardWriter;
    }
    synchronized (this) {
      // Under the lock close() drains the writers under: one made after it refuses every commit.
      shardWriter = shardWriters.computeIfAbsent(shard,
          s -> new PgGroupCommit(pool, leases, bodies, queueOfSubscription, pushTransactions));
      if (closing != null) {
        shardWriter.drain();
      }
      return shardWriter;
    }
  }

  /** How many group-commit writers have been made for shards (for tests). */
  int shardWriterCount() {
    return shardWriters.size();
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    // Loaded after a claim: whatever the shards' previous owners wrote is in what this reads. The bodies held
    // may be older than what another instance wrote meanwhile.
    bodies.clear();
    return onCaller("loading the message store",
        () -> new PgStartupScan(pool, visitor, queueOfSubscription).run());
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    List<Long> wanted = List.copyOf(sequences);
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Long> missing = new ArrayList<>();
    Map<Long, StoredMessage> held = bodies.get(queueId, wanted, missing);
    if (missing.isEmpty() && open) {
      // Already complete: the caller's callbacks run on its own thread.
      return Future.succeededFuture(BodyCache.inAskedOrder(wanted, held));
    }
    return onCaller("reading messages", () -> pool.preparedQuery(READ)
        .executeBatch(PgSequenceChunks.of(queueId, missing))
        .map(rows -> {
          Map<Long, StoredMessage> found = new HashMap<>(held);
          eachRow(rows, row -> found.put(row.getLong(0), message(queueId, row)));
          return BodyCache.inAskedOrder(wanted, found);
        }));
  }

  /** Bytes the body cache holds now (for tests). */
  long bodyCacheBytes() {
    return bodies.heldBytes();
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key,
      int limit) {
    return onCaller("scanning messages", () -> (key == null
        ? pool.preparedQuery(SCAN).execute(Tuple.of(queueId, fromSequence, toSequence, (long) limit))
        : pool.preparedQuery(SCAN_BY_KEY).execute(Tuple.of(queueId, fromSequence, toSequence, key, (long) limit)))
        .map(rows -> {
          List<StoredMessage> found = new ArrayList<>(rows.size());
          rows.forEach(row -> found.add(message(queueId, row)));
          return found;
        }));
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return onCaller("listing message headers", () -> pool.preparedQuery(HEADERS_RANGE)
        .execute(Tuple.of(queueId, fromSequence, toSequence, (long) limit))
        .map(rows -> {
          List<MessageHeader> found = new ArrayList<>(rows.size());
          rows.forEach(row -> found.add(header(row)));
          return found;
        }));
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> sequences) {
    List<Long> wanted = List.copyOf(sequences);
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return onCaller("reading message headers", () -> pool.preparedQuery(HEADERS_OF)
        .executeBatch(PgSequenceChunks.of(queueId, wanted))
        .map(rows -> inAskedOrder(wanted, rows, PgMessageStore::header)));
  }

  @Override
  public long syncCount() {
    long count = writer.transactionCount();
    for (PgGroupCommit shardWriter : shardWriters.values()) {
      count += shardWriter.transactionCount();
    }
    return count;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Future<Void> probe() {
    return onCaller("probing the database", () -> pool.query("SELECT 1").execute().mapEmpty());
  }

  @Override
  public synchronized Future<Void> close() {
    if (closing == null) {
      open = false;
      List<Future<Void>> drained = new ArrayList<>();
      drained.add(writer.drain());
      shardWriters.values().forEach(shardWriter -> drained.add(shardWriter.drain()));
      // Every writer drains (a drain never fails) before the shards are released and the pools let go.
      closing = Future.all(drained).<Void>mapEmpty()
          .eventually(leases::stop).eventually(leasePool::close).eventually(pool::close)
          .onSuccess(closed -> LOG.info("message store on schema {} closed", schema));
    }
    ContextCompletion<Void> completion = new ContextCompletion<>();
    closing.onComplete(closed -> {
      if (closed.succeeded()) {
        completion.succeed(null);
      } else {
        completion.fail(closed.cause());
      }
    });
    return completion.future();
  }

  /** This store but for commits, which go to one shard's writer. */
  private final class ShardCommits extends ForwardingMessageStore {

    private final int shard;

    ShardCommits(int shard) {
      super(PgMessageStore.this);
      this.shard = shard;
    }

    @Override
    public Future<Void> commit(StoreBatch batch) {
      PgGroupCommit shardWriter = writers == 1 ? writer : writerOf(Math.floorMod(shard, writers));
      return shardWriter.submit(batch, shard);
    }

    @Override
    public MessageStore forShard(int other) {
      return PgMessageStore.this.forShard(other);
    }
  }

  private <T> Future<T> onCaller(String doing, java.util.function.Supplier<Future<T>> query) {
    ContextCompletion<T> completion = new ContextCompletion<>();
    if (!open) {
      completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
      return completion.future();
    }
    Future<T> result;
    try {
      result = query.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        completion.succeed(done.result());
      } else if (!open) {
        completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
      } else {
        completion.fail(PostgresFailures.toFerry(done.cause(), doing));
      }
    });
    return completion.future();
  }

  // Every row of a batch's result sets (one per chunk).
  private static void eachRow(RowSet<Row> rows, Consumer<Row> action) {
    for (RowSet<Row> chunk = rows; chunk != null; chunk = chunk.next()) {
      chunk.forEach(action);
    }
  }

  // ANY($2) returns rows in the index's order, chunk after chunk: the caller asked for its own.
  private static <T> List<T> inAskedOrder(List<Long> wanted, RowSet<Row> rows, Function<Row, T> decode) {
    Map<Long, T> bySequence = new HashMap<>();
    eachRow(rows, row -> bySequence.put(row.getLong(0), decode.apply(row)));
    return BodyCache.inAskedOrder(wanted, bySequence);
  }

  private static StoredMessage message(String queueId, Row row) {
    return new StoredMessage(row.getString(1), queueId, row.getLong(0), row.getString(2),
        ContentType.fromWire(row.getString(3)), row.getBuffer(6).getBytes(), row.getLong(4), row.getLong(5));
  }

  private static MessageHeader header(Row row) {
    return new MessageHeader(row.getLong(0), row.getString(1), row.getString(2));
  }
}

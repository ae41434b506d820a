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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on PostgreSQL, in the tables of {@code db/messaging/V*.sql} ({@code messaging_*}).
 * Writes go through one {@link PgGroupCommit} (one transaction per group of commits); reads are single
 * queries on the messages' primary key; {@link #load} streams through cursors ({@link PgStartupScan}).
 */
public final class PgMessageStore implements MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(PgMessageStore.class);
  private static final String MESSAGE_COLUMNS =
      "sequence, message_id, message_key, content_type, timestamp_ms, available_at_ms, body";
  private static final String READ = "SELECT " + MESSAGE_COLUMNS
      + " FROM messaging_messages WHERE queue_id = $1 AND sequence = ANY($2)";
  private static final String SCAN = "SELECT " + MESSAGE_COLUMNS
      + " FROM messaging_messages WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3"
      + " ORDER BY sequence LIMIT $4";
  private static final String SCAN_BY_KEY = "SELECT " + MESSAGE_COLUMNS
      + " FROM messaging_messages WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3"
      + " AND coalesce(message_key, message_id) = $4 ORDER BY sequence LIMIT $5";
  private static final String HEADERS_RANGE = "SELECT sequence, message_id, message_key FROM messaging_messages"
      + " WHERE queue_id = $1 AND sequence >= $2 AND sequence <= $3 ORDER BY sequence LIMIT $4";
  private static final String HEADERS_OF = "SELECT sequence, message_id, message_key FROM messaging_messages"
      + " WHERE queue_id = $1 AND sequence = ANY($2)";

  private final Pool pool;
  private final String schema;
  private final PgGroupCommit writer;
  private volatile boolean open = true;
  private Future<Void> closing;

  private PgMessageStore(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    this.writer = new PgGroupCommit(pool);
  }

  /** Connects to {@code pg}, brings the messaging tables to this build's version, then serves. */
  public static Future<PgMessageStore> open(Vertx vertx, PostgresConfig pg) {
    Pool pool = PostgresPools.create(vertx, pg, "ferry-messaging");
    return SchemaMigrations.apply(pool, pg.schema(), "messaging")
        .map(version -> {
          LOG.info("message store open on PostgreSQL {}:{}/{}, schema {} (version {})", pg.host(), pg.port(),
              pg.database(), pg.schema(), version);
          return new PgMessageStore(pool, pg.schema());
        })
        .recover(failed -> pool.close().transform(closed -> Future.failedFuture(failed)));
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    return writer.submit(batch);
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    return onCaller("loading the message store", () -> new PgStartupScan(pool, visitor).run());
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    List<Long> wanted = List.copyOf(sequences);
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return onCaller("reading messages", () -> pool.preparedQuery(READ)
        .execute(Tuple.tuple().addString(queueId).addArrayOfLong(wanted.toArray(new Long[0])))
        .map(rows -> inAskedOrder(wanted, rows, row -> message(queueId, row))));
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
        .execute(Tuple.tuple().addString(queueId).addArrayOfLong(wanted.toArray(new Long[0])))
        .map(rows -> inAskedOrder(wanted, rows, PgMessageStore::header)));
  }

  @Override
  public long syncCount() {
    return writer.transactionCount();
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
      closing = writer.drain().eventually(pool::close)
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

  // ANY($2) returns rows in the index's order: the caller asked for its own.
  private static <T> List<T> inAskedOrder(List<Long> wanted, RowSet<Row> rows, Function<Row, T> decode) {
    Map<Long, T> bySequence = new HashMap<>(rows.size() * 2);
    rows.forEach(row -> bySequence.put(row.getLong(0), decode.apply(row)));
    List<T> found = new ArrayList<>(bySequence.size());
    for (Long sequence : wanted) {
      T value = bySequence.get(sequence);
      if (value != null) {
        found.add(value);
      }
    }
    return found;
  }

  private static StoredMessage message(String queueId, Row row) {
    return new StoredMessage(row.getString(1), queueId, row.getLong(0), row.getString(2),
        ContentType.fromWire(row.getString(3)), row.getBuffer(6).getBytes(), row.getLong(4), row.getLong(5));
  }

  private static MessageHeader header(Row row) {
    return new MessageHeader(row.getLong(0), row.getString(1), row.getString(2));
  }
}

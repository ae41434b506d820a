package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Consumer;

/**
 * The start-up read of everything but message bodies, in {@link StoredStateVisitor}'s order, from one
 * repeatable-read snapshot. Each table is read through a cursor {@link #FETCH_ROWS} rows at a time, the next
 * batch asked for only once the visitor has seen the previous one: a backlog of millions of messages never
 * sits in memory. The visitor is called on the connection's thread.
 */
final class PgStartupScan {

  static final int FETCH_ROWS = 1000;

  private final Pool pool;
  private final StoredStateVisitor visitor;
  // Rows of one queue (or subscription) come together: they share one id String, not one each.
  private String lastId = "";

  PgStartupScan(Pool pool, StoredStateVisitor visitor) {
    this.pool = pool;
    this.visitor = visitor;
  }

  Future<Void> run() {
    return pool.getConnection().compose(connection -> visitAll(connection)
        .eventually(() -> connection.query("ROLLBACK").execute())
        .eventually(connection::close));
  }

  // An append does not raise its queue's head row (PgMutations): a queue's head is the higher of the row and its
  // highest valid message sequence (one backward step on the primary key per queue).
  private static final String HEADS = "SELECT queue_id, max(sequence) FROM ("
      + "SELECT queue_id, sequence FROM messaging_sequence_heads UNION ALL "
      + "SELECT q.queue_id, (SELECT m.sequence FROM messaging_messages m WHERE m.queue_id = q.queue_id"
      + " AND m.sequence >= 1 AND m.sequence <= " + PgMutations.MAX_SEQUENCE + " ORDER BY m.sequence DESC LIMIT 1)"
      + " FROM messaging_queues q) AS h WHERE sequence IS NOT NULL GROUP BY queue_id ORDER BY queue_id";

  private Future<Void> visitAll(SqlConnection connection) {
    return connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
        .compose(begun -> stream(connection, "SELECT record FROM messaging_queues ORDER BY queue_id",
            row -> visitor.queue(QueueInfo.fromJson(row.getJsonObject(0)))))
        .compose(done -> stream(connection, HEADS, row -> visitor.sequenceHead(row.getString(0), row.getLong(1))))
        .compose(done -> stream(connection,
            "SELECT record FROM messaging_subscriptions ORDER BY subscription_id",
            row -> visitor.subscription(SubscriptionSpec.fromJson(row.getJsonObject(0)))))
        .compose(done -> stream(connection,
            "SELECT subscription_id, count FROM messaging_acknowledged ORDER BY subscription_id",
            row -> visitor.acknowledged(row.getString(0), row.getLong(1))))
        .compose(done -> stream(connection, "SELECT queue_id, started_at_ms, through_sequence, completed "
                + "FROM messaging_purges ORDER BY queue_id",
            row -> visitor.purge(new PurgeRecord(row.getString(0), row.getLong(1), row.getLong(2),
                row.getBoolean(3)))))
        // octet_length reads a stored body's size from its header: the bodies themselves are not fetched.
        .compose(done -> stream(connection, "SELECT queue_id, sequence, octet_length(body), timestamp_ms, "
                + "available_at_ms FROM messaging_messages ORDER BY queue_id, sequence",
            row -> visitor.message(new MessageMeta(sharedId(row.getString(0)), row.getLong(1), row.getInteger(2),
                row.getLong(3), row.getLong(4)))))
        .compose(done -> stream(connection, "SELECT subscription_id, sequence, attempts, available_at_ms, missed "
                + "FROM messaging_pending ORDER BY subscription_id, sequence",
            row -> visitor.pending(new PendingRecord(sharedId(row.getString(0)), row.getLong(1), row.getInteger(2),
                row.getLong(3), row.getBoolean(4)))));
  }

  private Future<Void> stream(SqlConnection connection, String sql, Consumer<Row> visit) {
    return connection.prepare(sql).compose(statement -> {
      Promise<Void> done = Promise.promise();
      readNext(statement.cursor(), visit, done);
      return done.future().eventually(statement::close);
    });
  }

  // A loop through callbacks, not a chain of composed futures: a long table must not deepen the stack.
  private static void readNext(Cursor cursor, Consumer<Row> visit, Promise<Void> done) {
    cursor.read(FETCH_ROWS).onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
        return;
      }
      try {
        for (Row row : read.result()) {
          visit.accept(row);
        }
      } catch (RuntimeException visitorFailed) {
        cursor.close();
        done.fail(visitorFailed);
        return;
      }
      if (cursor.hasMore()) {
        readNext(cursor, visit, done);
      } else {
        cursor.close().onComplete(closed -> done.complete());
      }
    });
  }

  private String sharedId(String id) {
    if (!id.equals(lastId)) {
      lastId = id;
    }
    return lastId;
  }
}

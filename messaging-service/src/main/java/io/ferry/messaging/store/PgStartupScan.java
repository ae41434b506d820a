package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The load of everything but message bodies, in {@link StoredStateVisitor}'s order, from one repeatable-read
 * snapshot: of every queue at a start with every shard, of the gained shards' queues only otherwise. Each table
 * is read through a cursor {@link #FETCH_ROWS} rows at a time, the next batch asked for only once the visitor
 * has seen the previous one: a backlog of millions of messages never sits in memory. The visitor is called on
 * the connection's thread.
 */
final class PgStartupScan {

  static final int FETCH_ROWS = 1000;

  // octet_length reads a stored body's size from its header: the bodies themselves are not fetched.
  private static final String MESSAGES = "SELECT queue_id, sequence, octet_length(body), timestamp_ms, "
      + "available_at_ms FROM messaging_messages ";
  // The rows of messaging_pending, and the entries kept on message rows (V5, PgPendingFor) that no such row
  // overrides and no bit of messaging_resolved resolves, in one order; those carry their queue (null for the
  // rows). %1$s filters the rows, %2$s the messages.
  private static final String PENDING = "SELECT e.subscription_id, e.sequence, e.attempts, e.available_at_ms, "
      + "e.missed, e.queue_id FROM (SELECT subscription_id, sequence, attempts, available_at_ms, missed, "
      + "NULL::text AS queue_id FROM messaging_pending %1$s UNION ALL SELECT f.subscription_id, m.sequence, 0, "
      + "m.available_at_ms, false, m.queue_id FROM messaging_messages m CROSS JOIN LATERAL unnest(m.pending_for) "
      + "AS f(subscription_id) WHERE m.pending_for IS NOT NULL %2$s AND NOT EXISTS (SELECT 1 FROM messaging_pending p "
      + "WHERE p.subscription_id = f.subscription_id AND p.sequence = m.sequence) AND NOT EXISTS (SELECT 1 "
      + "FROM messaging_resolved r WHERE r.queue_id = m.queue_id AND r.subscription_id = f.subscription_id "
      + "AND r.block = m.sequence >> " + PgPendingFor.BLOCK_SHIFT + " AND get_bit(r.bits, (m.sequence & "
      + ((1 << PgPendingFor.BLOCK_SHIFT) - 1) + ")::int) = 1)) AS e ORDER BY e.subscription_id COLLATE \"C\", "
      + "e.sequence";
  // The distinct queue ids of the stored messages, one probe of the primary key each (a loose index scan)
  // rather than a read of every message.
  private static final String STORED_QUEUES = "WITH RECURSIVE stored (queue_id) AS ("
      + "(SELECT queue_id FROM messaging_messages ORDER BY queue_id LIMIT 1) "
      + "UNION ALL SELECT (SELECT m.queue_id FROM messaging_messages m WHERE m.queue_id > stored.queue_id "
      + "ORDER BY m.queue_id LIMIT 1) FROM stored WHERE stored.queue_id IS NOT NULL) "
      + "SELECT queue_id FROM stored WHERE queue_id IS NOT NULL";

  // An append does not raise its queue's head row (PgMutations): a queue's head is the higher of the row and its
  // highest valid message sequence (one backward step on the primary key per queue). %s: the queues' filter.
  private static final String HEADS = "SELECT queue_id, max(sequence) FROM ("
      + "SELECT queue_id, sequence FROM messaging_sequence_heads %s UNION ALL "
      + "SELECT q.queue_id, (SELECT m.sequence FROM messaging_messages m WHERE m.queue_id = q.queue_id"
      + " AND m.sequence >= 1 AND m.sequence <= " + PgMutations.MAX_SEQUENCE + " ORDER BY m.sequence DESC LIMIT 1)"
      + " FROM messaging_queues q %s) AS h WHERE sequence IS NOT NULL GROUP BY queue_id ORDER BY queue_id";

  private final Pool pool;
  private final StoredStateVisitor visitor;
  private final Map<String, String> queueOfSubscription;
  // Rows of one queue (or subscription) come together: they share one id String, not one each.
  private String lastId = "";

  PgStartupScan(Pool pool, StoredStateVisitor visitor, Map<String, String> queueOfSubscription) {
    this.pool = pool;
    this.visitor = visitor;
    this.queueOfSubscription = queueOfSubscription;
  }

  Future<Void> run() {
    return pool.getConnection().compose(connection -> visit(connection)
        .eventually(() -> connection.query("ROLLBACK").execute())
        .eventually(connection::close));
  }

  private Future<Void> visit(SqlConnection connection) {
    return connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
        .compose(begun -> visitor.loadsEveryQueue() ? visitAll(connection) : visitGained(connection));
  }

  // Every shard (an instance alone on the schema): whole tables, read in key order.
  private Future<Void> visitAll(SqlConnection connection) {
    return stream(connection, "SELECT record FROM messaging_queues ORDER BY queue_id",
            row -> visitor.queue(QueueInfo.fromJson(row.getJsonObject(0))))
        .compose(done -> stream(connection, String.format(HEADS, "", ""),
            row -> visitor.sequenceHead(row.getString(0), row.getLong(1))))
        .compose(done -> stream(connection,
            "SELECT record FROM messaging_subscriptions ORDER BY subscription_id",
            row -> visitSubscription(SubscriptionSpec.fromJson(row.getJsonObject(0)))))
        .compose(done -> stream(connection,
            "SELECT subscription_id, count FROM messaging_acknowledged ORDER BY subscription_id",
            row -> visitor.acknowledged(row.getString(0), row.getLong(1))))
        .compose(done -> stream(connection, "SELECT queue_id, started_at_ms, through_sequence, completed "
            + "FROM messaging_purges ORDER BY queue_id", this::visitPurge))
        .compose(done -> stream(connection, MESSAGES + "ORDER BY queue_id, sequence", this::visitMessage))
        .compose(done -> handedLeases(connection))
        .compose(done -> stream(connection, String.format(PENDING, "", ""), this::visitPending));
  }

  // Some shards (gained from another instance, or one reloading): the small tables whole, to pick the shards'
  // queues and subscriptions by their ids, then only their rows of the others, found through each table's primary
  // key (its first column is the id) and never another shard's. The queues include those gone from
  // messaging_queues whose messages are still stored, so that the shard's recovery cleans them up as a full load does.
  private Future<Void> visitGained(SqlConnection connection) {
    Set<String> queues = new TreeSet<>();
    List<String> subscriptions = new ArrayList<>();
    Tuple byQueue = Tuple.tuple();
    Tuple bySubscription = Tuple.tuple();
    return stream(connection, "SELECT queue_id, record FROM messaging_queues ORDER BY queue_id", row -> {
          if (visitor.loadsQueue(row.getString(0))) {
            queues.add(row.getString(0));
            visitor.queue(QueueInfo.fromJson(row.getJsonObject(1)));
          }
        })
        .compose(done -> stream(connection, STORED_QUEUES, row -> {
          if (visitor.loadsQueue(row.getString(0))) {
            queues.add(row.getString(0));
          }
        }))
        .compose(done -> {
          byQueue.addArrayOfString(queues.toArray(new String[0]));
          return stream(connection, String.format(HEADS, "WHERE queue_id = ANY($1)", "WHERE q.queue_id = ANY($1)"),
              byQueue, row -> visitor.sequenceHead(row.getString(0), row.getLong(1)));
        })
        .compose(done -> stream(connection, "SELECT subscription_id, record->>'queueId', record "
            + "FROM messaging_subscriptions ORDER BY subscription_id", row -> {
              if (visitor.loadsQueue(row.getString(1))) {
                subscriptions.add(row.getString(0));
                visitSubscription(SubscriptionSpec.fromJson(row.getJsonObject(2)));
              }
            }))
        .compose(done -> {
          bySubscription.addArrayOfString(subscriptions.toArray(new String[0]));
          return stream(connection, "SELECT subscription_id, count FROM messaging_acknowledged "
                  + "WHERE subscription_id = ANY($1) ORDER BY subscription_id", bySubscription,
              row -> visitor.acknowledged(row.getString(0), row.getLong(1)));
        })
        .compose(done -> stream(connection, "SELECT queue_id, started_at_ms, through_sequence, completed "
            + "FROM messaging_purges WHERE queue_id = ANY($1) ORDER BY queue_id", byQueue, this::visitPurge))
        .compose(done -> stream(connection, MESSAGES + "WHERE queue_id = ANY($1) ORDER BY queue_id, sequence",
            byQueue, this::visitMessage))
        .compose(done -> handedLeases(connection))
        .compose(done -> stream(connection, String.format(PENDING, "WHERE subscription_id = ANY($1)",
            "AND m.queue_id = ANY($2)"), Tuple.tuple().addArrayOfString(subscriptions.toArray(new String[0]))
            .addArrayOfString(queues.toArray(new String[0])), this::visitPending));
  }

  // A resolution of an entry on a message row must reach that row, even one a row of messaging_pending overrides
  // now (a retry), so every loaded subscription's queue is known (PgPendingFor).
  private void visitSubscription(SubscriptionSpec subscription) {
    queueOfSubscription.put(subscription.id(), subscription.queueId());
    visitor.subscription(subscription);
  }

  private void visitPurge(Row row) {
    visitor.purge(new PurgeRecord(row.getString(0), row.getLong(1), row.getLong(2), row.getBoolean(3)));
  }

  private void visitMessage(Row row) {
    visitor.message(new MessageMeta(sharedId(row.getString(0)), row.getLong(1), row.getInteger(2),
        row.getLong(3), row.getLong(4)));
  }

  // An entry kept on a message row names its queue, as for a subscription record gone meanwhile.
  private void visitPending(Row row) {
    String subscriptionId = sharedId(row.getString(0));
    String queueId = row.getString(5);
    if (queueId != null) {
      queueOfSubscription.put(subscriptionId, queueId);
    }
    visitor.pending(new PendingRecord(subscriptionId, row.getLong(1), row.getInteger(2), row.getLong(3),
        row.getBoolean(4)));
  }

  // Only the shards being gained: another shard's hand-over is its next owner's to restore. Only one handed over
  // at the epoch just before the one this load runs under (claimed before it began, so in its snapshot): a
  // hand-over that an owner in between (a load that failed, an older build) did not restore is stale.
  private Future<Void> handedLeases(SqlConnection connection) {
    Set<Integer> shards = visitor.handedShards();
    if (shards.isEmpty()) {
      return Future.succeededFuture();
    }
    return stream(connection, "SELECT h.shard, h.subscription_id, h.sequence, h.lease_id, h.expires_at_ms, "
            + "h.attempts FROM messaging_handed_leases h JOIN messaging_shard_leases l ON l.shard = h.shard "
            + "WHERE h.shard = ANY($1::int[]) AND h.epoch = l.epoch - 1 ORDER BY h.subscription_id, h.sequence",
        Tuple.tuple().addArrayOfInteger(shards.toArray(new Integer[0])),
        row -> visitor.handedLease(new HandedLease(row.getInteger(0), row.getString(1), row.getLong(2),
            row.getString(3), row.getLong(4), row.getInteger(5))));
  }

  private Future<Void> stream(SqlConnection connection, String sql, Consumer<Row> visit) {
    return stream(connection, sql, Tuple.tuple(), visit);
  }

  private Future<Void> stream(SqlConnection connection, String sql, Tuple arguments, Consumer<Row> visit) {
    return connection.prepare(sql).compose(statement -> {
      Promise<Void> done = Promise.promise();
      readNext(statement.cursor(arguments), visit, done);
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

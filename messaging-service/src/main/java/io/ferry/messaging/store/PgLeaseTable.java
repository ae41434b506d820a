package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.postgres.PostgresFailures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statements of one instance's shard leases on {@code messaging_shard_leases}, {@code messaging_instances}
 * and {@code messaging_deployment} (V3.sql; docs/storage.md). Expiry is always the database's {@code now()}.
 * Shards and their epochs travel as maps from shard to epoch.
 */
final class PgLeaseTable {

  // An instance row unseen for this many leases belongs to a process that is gone for good.
  private static final int FORGET_AFTER_LEASES = 30;
  private static final String RECORD_SHARDS =
      "INSERT INTO messaging_deployment (shards) VALUES ($1::int) ON CONFLICT DO NOTHING";
  private static final String RECORDED_SHARDS = "SELECT shards FROM messaging_deployment";
  private static final String LEASE_ROWS = "INSERT INTO messaging_shard_leases (shard)"
      + " SELECT generate_series(0, $1::int - 1) ON CONFLICT DO NOTHING";
  // The CTEs' changes are not visible to the count (one snapshot), so it counts the others. Whether they all
  // read pending_for (V5) is asked of every instance not forgotten, live or not: one that stalled for a few
  // leases may claim shards again.
  private static final String HEARTBEAT = "WITH beat AS (INSERT INTO messaging_instances (instance, seen_at,"
      + " reads_pending_for) VALUES ($1, now(), true) ON CONFLICT (instance) DO UPDATE SET seen_at = now(),"
      + " reads_pending_for = true),"
      + " forgotten AS (DELETE FROM messaging_instances WHERE seen_at < now() - $3::bigint * interval '1 ms')"
      + " SELECT count(*) FILTER (WHERE seen_at > now() - $2::bigint * interval '1 ms'),"
      + " coalesce(bool_and(reads_pending_for) FILTER (WHERE seen_at >= now() - $3::bigint * interval '1 ms'),"
      + " true) FROM messaging_instances WHERE instance <> $1";
  private static final String RENEW = "UPDATE messaging_shard_leases"
      + " SET expires_at = now() + $2::bigint * interval '1 ms'"
      + " WHERE owner = $1 AND (shard, epoch) IN (SELECT * FROM unnest($3::int[], $4::bigint[])) RETURNING shard";
  // SKIP LOCKED: two instances claiming at once never wait for each other nor take the same shard.
  private static final String CLAIM = "UPDATE messaging_shard_leases l SET owner = $1, epoch = l.epoch + 1,"
      + " expires_at = now() + $2::bigint * interval '1 ms' WHERE l.shard IN (SELECT shard"
      + " FROM messaging_shard_leases WHERE (owner IS NULL OR expires_at < now() OR owner = $1) AND shard < $4::int"
      + " AND NOT (shard = ANY($5::int[])) ORDER BY shard LIMIT $3::int FOR UPDATE SKIP LOCKED)"
      + " RETURNING l.shard, l.epoch";
  private static final String RELEASE = "UPDATE messaging_shard_leases SET owner = NULL, expires_at = NULL"
      + " WHERE owner = $1 AND (shard, epoch) IN (SELECT * FROM unnest($2::int[], $3::bigint[]))";
  private static final String LEAVE = "DELETE FROM messaging_instances WHERE instance = $1";
  /** Each shard's epoch now, for telling which shards of a fenced-out group were taken. */
  static final String EPOCHS = "SELECT shard, epoch FROM messaging_shard_leases WHERE shard = ANY($1::int[])";

  private final Pool pool;
  private final String schema;
  private final String instance;
  private final long leaseMs;

  PgLeaseTable(Pool pool, String schema, String instance, long leaseMs) {
    this.pool = pool;
    this.schema = schema;
    this.instance = instance;
    this.leaseMs = leaseMs;
  }

  /** Records the deployment's shard count, or refuses another one, and makes sure every shard has a row. */
  Future<Void> prepare(int shards) {
    return pool.preparedQuery(RECORD_SHARDS).execute(Tuple.tuple().addInteger(shards))
        .compose(recorded -> pool.query(RECORDED_SHARDS).execute())
        .compose(rows -> {
          int recorded = rows.iterator().next().getInteger(0);
          if (recorded != shards) {
            return Future.failedFuture(new FerryException(ErrorCode.UNPROCESSABLE, "messaging.shards is " + shards
                + " here, but the messaging instances sharing schema " + schema + " split queues into " + recorded
                + " shards; every instance of a deployment needs the same messaging.shards (a queue's shard is a"
                + " hash of its id modulo the count), so set messaging.shards=" + recorded));
          }
          return pool.preparedQuery(LEASE_ROWS).execute(Tuple.tuple().addInteger(shards));
        })
        .<Void>mapEmpty()
        .recover(failed -> Future.failedFuture(failed instanceof FerryException ? failed
            : PostgresFailures.toFerry(failed, "preparing the shard leases of schema " + schema)));
  }

  /** What a heartbeat learnt: how many instances are live, this one included, and whether all read pending_for. */
  record Heartbeat(int live, boolean everyInstanceReadsPendingFor) {
  }

  /** Marks this instance alive (and reading pending_for); who else is. */
  Future<Heartbeat> heartbeat() {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple().addString(instance).addLong(leaseMs)
        .addLong(leaseMs * FORGET_AFTER_LEASES))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Heartbeat(1 + row.getLong(0).intValue(), row.getBoolean(1));
        });
  }

  /** Extends the leases still this instance's under these epochs; the shards renewed. */
  Future<Set<Integer>> renew(Map<Integer, Long> epochs) {
    return pool.preparedQuery(RENEW).execute(withPairs(Tuple.tuple().addString(instance).addLong(leaseMs), epochs))
        .map(rows -> {
          Set<Integer> renewed = new TreeSet<>();
          rows.forEach(row -> renewed.add(row.getInteger(0)));
          return renewed;
        });
  }

  /** Takes up to {@code wanted} free or run-out shards other than {@code mine}; their new epochs. */
  Future<Map<Integer, Long>> claim(int wanted, int shards, Set<Integer> mine) {
    return pool.preparedQuery(CLAIM).execute(Tuple.tuple().addString(instance).addLong(leaseMs)
        .addInteger(wanted).addInteger(shards).addArrayOfInteger(mine.toArray(new Integer[0])))
        .map(rows -> {
          Map<Integer, Long> claimed = new HashMap<>();
          for (Row row : rows) {
            claimed.put(row.getInteger(0), row.getLong(1));
          }
          return claimed;
        });
  }

  /** Frees the shards still this instance's under these epochs, so the next claimant need not wait. */
  Future<Void> release(Map<Integer, Long> epochs) {
    if (epochs.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(RELEASE).execute(withPairs(Tuple.tuple().addString(instance), epochs))
        .<Void>mapEmpty()
        .recover(failed -> Future.failedFuture(PostgresFailures.toFerry(failed, "releasing shard leases")));
  }

  /** Removes this instance's heartbeat, so the others count it gone at once. */
  Future<Void> leave() {
    return pool.preparedQuery(LEAVE).execute(Tuple.of(instance)).mapEmpty();
  }

  private static Tuple withPairs(Tuple tuple, Map<Integer, Long> epochs) {
    Integer[] shards = new Integer[epochs.size()];
    Long[] values = new Long[epochs.size()];
    int i = 0;
    for (Map.Entry<Integer, Long> entry : epochs.entrySet()) {
      shards[i] = entry.getKey();
      values[i++] = entry.getValue();
    }
    return tuple.addArrayOfInteger(shards).addArrayOfLong(values);
  }
}

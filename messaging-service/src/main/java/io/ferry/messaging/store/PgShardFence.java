package io.ferry.messaging.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The (shard, epoch) pairs a group-commit transaction writes under, and the statement that locks their lease
 * rows right after BEGIN and aborts the transaction unless every shard is still under its epoch (see
 * {@link PgGroupCommit} and docs/storage.md for why FOR KEY SHARE).
 */
final class PgShardFence {

  /** Something written under shard {@code shards()[i]} at epoch {@code epochs()[i]}. */
  interface Fenced {
    int[] shards();

    long[] epochs();
  }

  /** The fence found a shard under another epoch; the transaction it ran in rolled back. */
  static final class FencedOut extends RuntimeException {
    FencedOut() {
      super("a shard of the group is under another epoch", null, false, false);
    }
  }

  /**
   * Fails (division by zero, {@link #NOT_THE_EPOCH}) unless every shard {@code $1[i]} is under epoch
   * {@code $2[i]}, locking their lease rows until the transaction ends, so that it aborts the transaction it
   * runs in and the statements pipelined behind it change nothing. The pairs must be distinct.
   */
  static final String SHARD_FENCE = "SELECT 1 / (SELECT (count(*) = cardinality($1::int[]))::integer FROM"
      + " (SELECT 1 FROM messaging_shard_leases l JOIN unnest($1::int[], $2::bigint[]) AS f(shard, epoch)"
      + " ON l.shard = f.shard AND l.epoch = f.epoch FOR KEY SHARE OF l) AS held)";
  /** The SQLSTATE of {@link #SHARD_FENCE} finding another epoch (division_by_zero). */
  static final String NOT_THE_EPOCH = "22012";

  private final Integer[] shards;
  private final Long[] epochs;

  private PgShardFence(Integer[] shards, Long[] epochs) {
    this.shards = shards;
    this.epochs = epochs;
  }

  private record ShardEpoch(int shard, long epoch) {
  }

  /** The distinct pairs of {@code written}. */
  static PgShardFence of(List<? extends Fenced> written) {
    Set<ShardEpoch> pairs = new LinkedHashSet<>();
    for (Fenced fenced : written) {
      for (int i = 0; i < fenced.shards().length; i++) {
        pairs.add(new ShardEpoch(fenced.shards()[i], fenced.epochs()[i]));
      }
    }
    Integer[] shards = new Integer[pairs.size()];
    Long[] epochs = new Long[pairs.size()];
    int i = 0;
    for (ShardEpoch pair : pairs) {
      shards[i] = pair.shard;
      epochs[i++] = pair.epoch;
    }
    return new PgShardFence(shards, epochs);
  }

  /** Sends the fence; it fails as {@link #refused} says when a shard is under another epoch. */
  Future<?> lock(SqlConnection connection) {
    return connection.preparedQuery(SHARD_FENCE).execute(Tuple.tuple().addArrayOfInteger(shards)
        .addArrayOfLong(epochs));
  }

  /** Whether the fence {@code sent} failed for finding another epoch (not for any other reason). */
  static boolean refused(Future<?> sent) {
    return sent.failed() && sent.cause() instanceof PgException failure
        && NOT_THE_EPOCH.equals(failure.getSqlState());
  }

  /** The epochs the fenced shards are under now (outside any transaction). */
  Future<Map<Integer, Long>> currentEpochs(SqlConnection connection) {
    return connection.preparedQuery(PgLeaseTable.EPOCHS).execute(Tuple.tuple().addArrayOfInteger(shards))
        .map(rows -> {
          Map<Integer, Long> current = new HashMap<>();
          rows.forEach(row -> current.put(row.getInteger(0), row.getLong(1)));
          return current;
        });
  }
}

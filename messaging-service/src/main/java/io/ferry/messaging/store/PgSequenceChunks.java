package io.ferry.messaging.store;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * One id's sequences as parameter rows of a statement on {@code id = $1 AND sequence = ANY($2::bigint[]) AND
 * sequence >= $3 AND sequence <= $4}: sorted, distinct, cut into chunks of at most {@link #MOST} sequences
 * spanning fewer than {@link #WIDEST}, each bounded by its first and last.
 *
 * <p>Why the bounds: while the statistics still say a queue has a handful of rows (a new queue under load,
 * until autovacuum's next ANALYZE), the planner keeps {@code sequence = ANY($2)} as a filter over an index scan
 * of the id's whole range of the primary key, rather than probe each sequence. A pull's body read then read
 * every message of a backlog of hundreds of thousands, some 0.1–0.5 s a query, and pull + ack through the cluster
 * fell to a few hundred msg/s (docs/storage.md). The range is an index condition in every plan, so a statement
 * reads at most its chunk's span; the span bound keeps a chunk with a far-off sequence (a redelivery from long
 * ago beside new messages) from making that span the backlog.
 */
final class PgSequenceChunks {

  /** The most sequences in one chunk: ANY() of a few thousand tips the planner to a sequential scan. */
  static final int MOST = 256;
  /** A chunk spans fewer sequences than this (last − first), so it reads at most this many index entries. */
  static final long WIDEST = 1024;

  private PgSequenceChunks() {
  }

  /** The rows ({@code id}, sequences, first, last) of {@code sequences}, in ascending order; none for none. */
  static List<Tuple> of(String id, Collection<Long> sequences) {
    List<Tuple> rows = new ArrayList<>();
    List<Long> chunk = new ArrayList<>();
    for (long sequence : new TreeSet<>(sequences)) {
      // Sorted ascending, so a negative span is an overflow, as wide as can be.
      long span = chunk.isEmpty() ? 0 : sequence - chunk.get(0);
      if (!chunk.isEmpty() && (chunk.size() == MOST || span >= WIDEST || span < 0)) {
        rows.add(row(id, chunk));
        chunk.clear();
      }
      chunk.add(sequence);
    }
    if (!chunk.isEmpty()) {
      rows.add(row(id, chunk));
    }
    return rows;
  }

  private static Tuple row(String id, List<Long> chunk) {
    return Tuple.tuple().addString(id).addArrayOfLong(chunk.toArray(new Long[0])).addLong(chunk.get(0))
        .addLong(chunk.get(chunk.size() - 1));
  }
}

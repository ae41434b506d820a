package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.PgMutations.RowKey;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One group's pending entries kept on message rows ({@code messaging_messages.pending_for}, V5): a push's
 * {@link StoreBatch.CreatePending} whose message the same batch appends is written as the subscription's id in
 * that row instead of a row of {@code messaging_pending} (about a third of PostgreSQL's work per message pushed,
 * docs/storage.md). A row of {@code messaging_pending} for the same subscription and sequence overrides it (a
 * retry, a miss), so every other pending mutation stays as it was; only resolutions must also reach the entry on
 * the row: a {@link StoreBatch.DeletePending} sets the sequence's bit in the subscription's
 * {@code messaging_resolved} block (one upsert per block and group, not a rewrite of each message row, which
 * acked messages keep until retention), where the group does not delete the message anyway.
 *
 * <p>Resolutions are written after the group's other statements: no mutation after one in call order can make
 * the entry pending again, as only an append puts a subscription on a row, and appends take sequences above
 * every one their queue ever had. A subscription's queue comes from {@code queueOfSubscription}, which the store
 * fills from the subscriptions and pushes it writes and from what it loads: an entry on a message row is either
 * one this instance wrote or one its load of the shard read, so a subscription it does not know has none.
 */
final class PgPendingFor {

  // Subscription ids are joined with a character no id has (an id with it is simply not folded).
  static final char SEPARATOR = '\u001f';
  static final String SPLIT = "string_to_array(%s, chr(31))";
  // Bits are built as text ('0'/'1', bit 0 first) and cast: an explicit cast from text goes through bit's input.
  static final String RESOLVE = "INSERT INTO messaging_resolved (queue_id, subscription_id, block, bits) "
      + "SELECT q, s, b, m::bit(1024) FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r(q, s, b, m) "
      + "ON CONFLICT (queue_id, subscription_id, block) DO UPDATE SET bits = messaging_resolved.bits | EXCLUDED.bits";
  /** Sequences per block of {@code messaging_resolved}: a block is {@code sequence >> BLOCK_SHIFT}. */
  static final int BLOCK_SHIFT = 10;
  private static final int BLOCK_BITS = 1 << BLOCK_SHIFT;
  // A range is rare (a purge or retention removes its messages in the same group, which makes it moot): the
  // subscription comes off the rows themselves.
  private static final String REMOVE_THROUGH = "UPDATE messaging_messages SET pending_for = "
      + "nullif(array_remove(pending_for, $3::text), '{}') WHERE queue_id = $1 AND sequence <= $2 "
      + "AND $3::text = ANY(pending_for)";
  // A subscription deleted: in call order (another one with its id could follow in the group, its entries new).
  static final String REMOVE_SUBSCRIPTION = "WITH r AS (DELETE FROM messaging_resolved WHERE queue_id = $1 "
      + "AND subscription_id = $2) UPDATE messaging_messages SET pending_for = "
      + "nullif(array_remove(pending_for, $2::text), '{}') WHERE queue_id = $1 AND $2::text = ANY(pending_for)";
  // Retention and purges: the blocks below the one of the last sequence removed hold only removed messages' bits.
  static final String FORGET_RESOLVED_THROUGH =
      "DELETE FROM messaging_resolved WHERE queue_id = $1 AND block < ($2::bigint >> " + BLOCK_SHIFT + ")";

  private final Map<String, String> queueOfSubscription;
  private final boolean folding;
  private final Map<RowKey, Set<String>> folded = new HashMap<>();
  // The batch being placed: its appends by sequence, and the sequences it appends more than once (not folded).
  private final Map<Long, StoredMessage> appended = new HashMap<>();
  private final Set<Long> appendedTwice = new HashSet<>();
  private final Map<String, List<Long>> resolved = new LinkedHashMap<>();
  private final Map<String, Long> resolvedThrough = new LinkedHashMap<>();
  private final Set<RowKey> deletedMessages = new HashSet<>();
  private final Map<String, Long> deletedThrough = new HashMap<>();
  private final Set<String> deletedQueues = new HashSet<>();

  /** {@code folding}: whether pushes may keep entries on message rows (every instance reads them). */
  PgPendingFor(Map<String, String> queueOfSubscription, boolean folding) {
    this.queueOfSubscription = queueOfSubscription;
    this.folding = folding;
  }

  /** Before a batch's mutations: the messages it appends, which its pushes' entries may be kept on. */
  void startBatch(StoreBatch batch) {
    appended.clear();
    appendedTwice.clear();
    if (!folding) {
      return;
    }
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append
          && appended.put(append.message().sequence(), append.message()) != null) {
        appendedTwice.add(append.message().sequence());
      }
    }
  }

  /** Whether {@code create} is kept on its message's row, which then needs no statement of its own. */
  boolean fold(StoreBatch.CreatePending create) {
    PendingRecord pending = create.pending();
    StoredMessage message = appended.get(pending.sequence());
    if (message == null || appendedTwice.contains(pending.sequence()) || pending.attempts() != 0 || pending.missed()
        || pending.availableAtMs() != message.availableAtMs() || pending.subscriptionId().isEmpty()
        || pending.subscriptionId().indexOf(SEPARATOR) >= 0) {
      return false;
    }
    queueOfSubscription.put(pending.subscriptionId(), message.queueId());
    folded.computeIfAbsent(new RowKey(message.queueId(), message.sequence()), key -> new LinkedHashSet<>(2))
        .add(pending.subscriptionId());
    return true;
  }

  /** The subscriptions kept on the row of an appended message, joined for {@link #SPLIT}; null for none. */
  String joined(String queueId, long sequence) {
    Set<String> subscriptions = folded.get(new RowKey(queueId, sequence));
    return subscriptions == null || subscriptions.isEmpty() ? null
        : String.join(String.valueOf(SEPARATOR), subscriptions);
  }

  void subscriptionQueue(String subscriptionId, String queueId) {
    queueOfSubscription.put(subscriptionId, queueId);
  }

  /** The queue of a subscription with entries on message rows; null when it can have none. */
  String queueOf(String subscriptionId) {
    return queueOfSubscription.get(subscriptionId);
  }

  void resolved(String subscriptionId, long sequence) {
    String queueId = queueOfSubscription.get(subscriptionId);
    if (queueId == null) {
      return;
    }
    Set<String> pushedHere = folded.get(new RowKey(queueId, sequence));
    if (pushedHere != null && pushedHere.remove(subscriptionId)) {
      return;
    }
    resolved.computeIfAbsent(subscriptionId, id -> new ArrayList<>()).add(sequence);
  }

  void resolvedThrough(String subscriptionId, long lastSequence) {
    if (queueOfSubscription.containsKey(subscriptionId)) {
      for (Map.Entry<RowKey, Set<String>> row : folded.entrySet()) {
        if (row.getKey().sequence() <= lastSequence) {
          row.getValue().remove(subscriptionId);
        }
      }
      resolvedThrough.merge(subscriptionId, lastSequence, Math::max);
    }
  }

  /** Resolutions recorded before the subscription's deletion in call order are moot: its entries go with it. */
  void subscriptionDeleted(String subscriptionId) {
    resolved.remove(subscriptionId);
    resolvedThrough.remove(subscriptionId);
  }

  void messageDeleted(String queueId, long sequence) {
    deletedMessages.add(new RowKey(queueId, sequence));
  }

  void messagesDeletedThrough(String queueId, long lastSequence) {
    deletedThrough.merge(queueId, lastSequence, Math::max);
  }

  void queueDeleted(String queueId) {
    deletedQueues.add(queueId);
  }

  /** The statements recording the group's resolutions of entries on rows it leaves in place; last in the group. */
  List<PgMutations.Statement> resolutions() {
    List<String> queueIds = new ArrayList<>();
    List<String> subscriptionIds = new ArrayList<>();
    List<Long> blocks = new ArrayList<>();
    List<String> masks = new ArrayList<>();
    resolved.forEach((subscriptionId, sequences) -> {
      String queueId = queueOfSubscription.get(subscriptionId);
      Map<Long, char[]> bitsByBlock = new TreeMap<>();
      for (long sequence : sequences) {
        if (!gone(queueId, sequence)) {
          char[] bits = bitsByBlock.computeIfAbsent(sequence >> BLOCK_SHIFT, block -> zeros());
          bits[(int) (sequence & (BLOCK_BITS - 1))] = '1';
        }
      }
      bitsByBlock.forEach((block, bits) -> {
        queueIds.add(queueId);
        subscriptionIds.add(subscriptionId);
        blocks.add(block);
        masks.add(new String(bits));
      });
    });
    List<Tuple> ranges = new ArrayList<>();
    resolvedThrough.forEach((subscriptionId, lastSequence) -> {
      String queueId = queueOfSubscription.get(subscriptionId);
      if (!goneThrough(queueId, lastSequence)) {
        ranges.add(Tuple.of(queueId, lastSequence, subscriptionId));
      }
    });
    List<PgMutations.Statement> statements = new ArrayList<>(2);
    if (!blocks.isEmpty()) {
      statements.add(new PgMutations.Statement(RESOLVE, List.of(Tuple.tuple()
          .addArrayOfString(queueIds.toArray(new String[0])).addArrayOfString(subscriptionIds.toArray(new String[0]))
          .addArrayOfLong(blocks.toArray(new Long[0])).addArrayOfString(masks.toArray(new String[0])))));
    }
    if (!ranges.isEmpty()) {
      statements.add(new PgMutations.Statement(REMOVE_THROUGH, ranges));
    }
    return statements;
  }

  private static char[] zeros() {
    char[] bits = new char[BLOCK_BITS];
    Arrays.fill(bits, '0');
    return bits;
  }

  // Whether the group deletes the message anyway.
  private boolean gone(String queueId, long sequence) {
    return goneThrough(queueId, sequence) || deletedMessages.contains(new RowKey(queueId, sequence));
  }

  // Whether the group deletes every message of the queue up to this sequence anyway.
  private boolean goneThrough(String queueId, long sequence) {
    return deletedQueues.contains(queueId) || deletedThrough.getOrDefault(queueId, Long.MIN_VALUE) >= sequence;
  }
}

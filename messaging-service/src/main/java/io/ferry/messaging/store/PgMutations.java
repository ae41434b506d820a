package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates {@link StoreBatch} mutations into few multi-row statements. Mutations are gathered into runs of
 * one kind; a run of appends or pending entries is one statement over arrays, a run of single deletes one row
 * per queue (or subscription) with an array of sequences, any other run one {@code executeBatch} (row by row
 * in order, in one round trip). A mutation may join an earlier run of its
 * kind only when no run in between touches a table it touches, so the result is the same as applying every
 * mutation one by one in call order: a group of publishes (append, then pending entries) becomes two
 * statements (messages, pending), or one when the pending entries are kept on the message rows
 * ({@link PgPendingFor}), a group of acks (delete pending, head, delete message, count) four.
 */
final class PgMutations {

  /** One prepared statement and its rows (one tuple of arrays for the array statements). */
  record Statement(String sql, List<Tuple> rows) {
  }

  private static final int QUEUES = 1;
  private static final int HEADS = 1 << 1;
  private static final int SUBSCRIPTIONS = 1 << 2;
  private static final int ACKNOWLEDGED = 1 << 3;
  private static final int PURGES = 1 << 4;
  private static final int MESSAGES = 1 << 5;
  private static final int PENDING = 1 << 6;
  private static final int HANDED = 1 << 7;

  private static final String PUT_QUEUE = "INSERT INTO messaging_queues (queue_id, record) VALUES ($1, $2) "
      + "ON CONFLICT (queue_id) DO UPDATE SET record = EXCLUDED.record";
  private static final String DELETE_QUEUE = "WITH "
      + "q AS (DELETE FROM messaging_queues WHERE queue_id = $1), "
      + "h AS (DELETE FROM messaging_sequence_heads WHERE queue_id = $1), "
      + "p AS (DELETE FROM messaging_purges WHERE queue_id = $1), "
      + "r AS (DELETE FROM messaging_resolved WHERE queue_id = $1) "
      + "DELETE FROM messaging_messages WHERE queue_id = $1";
  private static final String PUT_SUBSCRIPTION = "INSERT INTO messaging_subscriptions (subscription_id, record) "
      + "VALUES ($1, $2) ON CONFLICT (subscription_id) DO UPDATE SET record = EXCLUDED.record";
  private static final String DELETE_SUBSCRIPTION = "WITH "
      + "s AS (DELETE FROM messaging_subscriptions WHERE subscription_id = $1), "
      + "a AS (DELETE FROM messaging_acknowledged WHERE subscription_id = $1) "
      + "DELETE FROM messaging_pending WHERE subscription_id = $1";
  // The row-heavy kinds (a group's publishes and acks) are one statement over arrays: planned and executed
  // once for the run, not once per row.
  // A plain INSERT: the engine appends only above a queue's head (it never hands a sequence out twice, failed
  // commits included), and a run keeps one append per row, so the row cannot exist. An upsert cost PostgreSQL
  // a speculative insertion per row (a pre-check and a confirm record): about a sixth of its CPU per message
  // pushed (docs/storage.md). Were the row there after all, the commit fails rather than overwrite a message.
  // pending_for: the subscriptions the push keeps its entries for on the row (PgPendingFor), joined.
  private static final String APPEND_MESSAGES = "INSERT INTO messaging_messages (queue_id, sequence, message_id, "
      + "message_key, content_type, timestamp_ms, available_at_ms, body, pending_for) SELECT q, s, i, k, c, t, a, b, "
      + String.format(PgPendingFor.SPLIT, "p") + " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
      + "$5::text[], $6::bigint[], $7::bigint[], $8::bytea[], $9::text[]) AS m(q, s, i, k, c, t, a, b, p)";
  // A queue's head is the highest sequence it ever had, and what recovery continues after: the highest of its
  // head row and its messages' sequences. So an append need not touch the head row (pushes of one queue then
  // share no row and commit side by side, see PgGroupCommit); a delete of messages raises it to the highest it
  // removes, in the same transaction. Raise only: a head is never lowered, and a raise that does not raise it
  // leaves the row untouched.
  static final String RAISE_HEAD = "INSERT INTO messaging_sequence_heads (queue_id, sequence) "
      + "VALUES ($1, $2) ON CONFLICT (queue_id) DO UPDATE SET sequence = EXCLUDED.sequence "
      + "WHERE messaging_sequence_heads.sequence < EXCLUDED.sequence";
  // One row per queue (or subscription) and chunk of at most DELETE_CHUNK sorted sequences, bounded by the
  // chunk's first and last: the range is always an index condition on the primary key, so even when the
  // planner keeps the array as a filter (stale statistics of a new subscription make it think the id has few
  // rows) the scan covers only the chunk's span. A join against unnest() of (id, sequence) pairs, or the
  // array alone, scanned the whole table or the id's whole range in every ack transaction (docs/storage.md).
  static final int DELETE_CHUNK = 256;
  static final String DELETE_MESSAGES = "DELETE FROM messaging_messages WHERE queue_id = $1 "
      + "AND sequence = ANY($2::bigint[]) AND sequence >= $3 AND sequence <= $4";
  // The highest valid sequence a range delete is about to remove (recovery forgets a head out of range).
  private static final String RAISE_HEAD_THROUGH = "INSERT INTO messaging_sequence_heads (queue_id, sequence) "
      + "SELECT queue_id, sequence FROM messaging_messages WHERE queue_id = $1 AND sequence <= $2 AND sequence >= 1"
      + " AND sequence <= " + PgMutations.MAX_SEQUENCE + " ORDER BY sequence DESC LIMIT 1"
      + " ON CONFLICT (queue_id) DO UPDATE SET sequence = EXCLUDED.sequence"
      + " WHERE messaging_sequence_heads.sequence < EXCLUDED.sequence";
  // Core's Sequences.MAX_SEQUENCE: the highest sequence Ferry assigns; recovery forgets a head above it.
  static final long MAX_SEQUENCE = 1L << 62;
  private static final String DELETE_MESSAGES_THROUGH =
      "DELETE FROM messaging_messages WHERE queue_id = $1 AND sequence <= $2";
  private static final String INSERT_PENDINGS = "INSERT INTO messaging_pending (subscription_id, sequence, "
      + "attempts, available_at_ms, missed) SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], "
      + "$4::bigint[], $5::boolean[])";
  // Retries, nacks, leases given back and redeliveries rewrite rows that exist: an upsert.
  private static final String PUT_PENDINGS = INSERT_PENDINGS + " ON CONFLICT (subscription_id, sequence) DO UPDATE "
      + "SET attempts = EXCLUDED.attempts, available_at_ms = EXCLUDED.available_at_ms, missed = EXCLUDED.missed";
  // A push's pending rows (StoreBatch.CreatePending) are new as its messages are (see APPEND_MESSAGES), so a
  // plain INSERT as well: the upsert's speculative insertion was PostgreSQL's largest remaining cost per
  // message pushed after the appends' (docs/storage.md). Were a row there after all, the commit fails.
  private static final String CREATE_PENDINGS = INSERT_PENDINGS;
  static final String DELETE_PENDINGS = "DELETE FROM messaging_pending WHERE subscription_id = $1 "
      + "AND sequence = ANY($2::bigint[]) AND sequence >= $3 AND sequence <= $4";
  private static final String DELETE_PENDING_THROUGH =
      "DELETE FROM messaging_pending WHERE subscription_id = $1 AND sequence <= $2";
  private static final String PUT_PURGE = "INSERT INTO messaging_purges (queue_id, started_at_ms, "
      + "through_sequence, completed) VALUES ($1, $2, $3, $4) ON CONFLICT (queue_id) DO UPDATE SET "
      + "started_at_ms = EXCLUDED.started_at_ms, through_sequence = EXCLUDED.through_sequence, "
      + "completed = EXCLUDED.completed";
  // A hand-over replaces the shard's earlier one (stale: its next owner did not restore it) and records the
  // epoch it was written under, read from the lease row the transaction's fence holds at that epoch.
  private static final String DROP_EARLIER_HAND_OVERS =
      "DELETE FROM messaging_handed_leases WHERE shard = ANY($1::integer[])";
  private static final String HAND_LEASES = "INSERT INTO messaging_handed_leases (shard, subscription_id, "
      + "sequence, epoch, lease_id, expires_at_ms, attempts) SELECT f.shard, f.subscription_id, f.sequence, "
      + "l.epoch, f.lease_id, f.expires_at_ms, f.attempts FROM unnest($1::integer[], $2::text[], $3::bigint[], "
      + "$4::text[], $5::bigint[], $6::integer[]) AS f(shard, subscription_id, sequence, lease_id, expires_at_ms, "
      + "attempts) JOIN messaging_shard_leases l ON l.shard = f.shard";
  private static final String DELETE_HANDED_LEASES = "DELETE FROM messaging_handed_leases WHERE shard = $1";
  private static final String ADD_ACKNOWLEDGED = "INSERT INTO messaging_acknowledged (subscription_id, count) "
      + "VALUES ($1, $2) ON CONFLICT (subscription_id) DO UPDATE "
      + "SET count = messaging_acknowledged.count + EXCLUDED.count";

  private static final class Run {
    final Class<?> kind;
    final int tables;
    final List<StoreBatch.Mutation> mutations = new ArrayList<>();

    Run(Class<?> kind, int tables) {
      this.kind = kind;
      this.tables = tables;
    }
  }

  private PgMutations() {
  }

  /** The statements that apply every mutation of {@code batches}, in order, with the same result. */
  static List<Statement> statements(List<StoreBatch> batches, PgPendingFor pendingFor) {
    List<Run> runs = new ArrayList<>();
    for (StoreBatch batch : batches) {
      pendingFor.startBatch(batch);
      for (StoreBatch.Mutation mutation : batch.mutations()) {
        if (mutation instanceof StoreBatch.CreatePending create && pendingFor.fold(create)) {
          continue;
        }
        note(mutation, pendingFor);
        place(runs, mutation);
      }
    }
    List<Statement> statements = new ArrayList<>(runs.size() + 2);
    for (Run run : runs) {
      translate(run, pendingFor, statements);
    }
    statements.addAll(pendingFor.resolutions());
    return statements;
  }

  // What PgPendingFor must know of the group to keep the entries on message rows in step.
  private static void note(StoreBatch.Mutation mutation, PgPendingFor pendingFor) {
    if (mutation instanceof StoreBatch.DeletePending delete) {
      pendingFor.resolved(delete.subscriptionId(), delete.sequence());
    } else if (mutation instanceof StoreBatch.DeletePendingThrough delete) {
      pendingFor.resolvedThrough(delete.subscriptionId(), delete.lastSequence());
    } else if (mutation instanceof StoreBatch.DeleteMessage delete) {
      pendingFor.messageDeleted(delete.queueId(), delete.sequence());
    } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
      pendingFor.messagesDeletedThrough(delete.queueId(), delete.lastSequence());
    } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
      pendingFor.queueDeleted(delete.queueId());
    } else if (mutation instanceof StoreBatch.DeleteSubscription delete) {
      pendingFor.subscriptionDeleted(delete.subscriptionId());
    } else if (mutation instanceof StoreBatch.PutSubscription put) {
      pendingFor.subscriptionQueue(put.subscription().id(), put.subscription().queueId());
    }
  }

  /**
   * The rows {@code batch} writes when it only appends messages and puts pending entries (a push), each row as
   * a key equal only to the same row's; null when it does anything else. Two pushes with no row in common
   * touch no row in common in the database either (no head row: see {@link #statements}), so their
   * transactions neither wait for each other nor see each other's effect, and may commit in any order.
   */
  static Set<Object> pushedRows(StoreBatch batch) {
    Set<Object> rows = new HashSet<>();
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append) {
        rows.add(new RowKey(append.message().queueId(), append.message().sequence()));
      } else if (mutation instanceof StoreBatch.PutPending put) {
        rows.add(new PendingKey(put.pending().subscriptionId(), put.pending().sequence()));
      } else if (mutation instanceof StoreBatch.CreatePending create) {
        rows.add(new PendingKey(create.pending().subscriptionId(), create.pending().sequence()));
      } else {
        return null;
      }
    }
    return rows;
  }

  private static void place(List<Run> runs, StoreBatch.Mutation mutation) {
    int tables = tables(mutation);
    for (int i = runs.size() - 1; i >= 0; i--) {
      Run run = runs.get(i);
      if (run.kind == mutation.getClass()) {
        run.mutations.add(mutation);
        return;
      }
      if ((run.tables & tables) != 0) {
        break;
      }
    }
    Run run = new Run(mutation.getClass(), tables);
    run.mutations.add(mutation);
    runs.add(run);
  }

  private static int tables(StoreBatch.Mutation mutation) {
    if (mutation instanceof StoreBatch.AppendMessage) {
      return MESSAGES;
    } else if (mutation instanceof StoreBatch.DeleteMessage || mutation instanceof StoreBatch.DeleteMessagesThrough) {
      return MESSAGES | HEADS;
    } else if (mutation instanceof StoreBatch.PutPending || mutation instanceof StoreBatch.CreatePending
        || mutation instanceof StoreBatch.DeletePending
        || mutation instanceof StoreBatch.DeletePendingThrough) {
      return PENDING;
    } else if (mutation instanceof StoreBatch.AddAcknowledged) {
      return ACKNOWLEDGED;
    } else if (mutation instanceof StoreBatch.PutPurge) {
      return PURGES;
    } else if (mutation instanceof StoreBatch.PutQueue) {
      return QUEUES;
    } else if (mutation instanceof StoreBatch.DeleteQueue) {
      return QUEUES | HEADS | PURGES | MESSAGES;
    } else if (mutation instanceof StoreBatch.PutSubscription) {
      return SUBSCRIPTIONS;
    } else if (mutation instanceof StoreBatch.DeleteSubscription) {
      return SUBSCRIPTIONS | ACKNOWLEDGED | PENDING | MESSAGES;
    } else if (mutation instanceof StoreBatch.HandLease || mutation instanceof StoreBatch.DeleteHandedLeases) {
      return HANDED;
    }
    throw new IllegalArgumentException("unknown mutation " + mutation);
  }

  private static void translate(Run run, PgPendingFor pendingFor, List<Statement> into) {
    List<Tuple> rows = new ArrayList<>(run.mutations.size());
    if (run.kind == StoreBatch.AppendMessage.class) {
      appends(run, pendingFor, into);
      return;
    }
    if (run.kind == StoreBatch.DeleteSubscription.class) {
      deleteSubscriptions(run, pendingFor, into);
      return;
    }
    if (run.kind == StoreBatch.PutPending.class) {
      pendings(run, PUT_PENDINGS, into);
      return;
    }
    if (run.kind == StoreBatch.CreatePending.class) {
      pendings(run, CREATE_PENDINGS, into);
      return;
    }
    if (run.kind == StoreBatch.HandLease.class) {
      handLeases(run, into);
      return;
    }
    if (run.kind == StoreBatch.DeleteMessage.class || run.kind == StoreBatch.DeletePending.class) {
      deletes(run, into);
      return;
    }
    if (run.kind == StoreBatch.AddAcknowledged.class) {
      // Additions commute: one row per subscription, so a group of acks updates each counter once.
      Map<String, Long> sums = new LinkedHashMap<>();
      for (StoreBatch.Mutation mutation : run.mutations) {
        StoreBatch.AddAcknowledged add = (StoreBatch.AddAcknowledged) mutation;
        sums.merge(add.subscriptionId(), add.count(), Long::sum);
      }
      sums.forEach((subscriptionId, count) -> rows.add(Tuple.of(subscriptionId, count)));
      into.add(new Statement(ADD_ACKNOWLEDGED, rows));
      return;
    }
    String sql = null;
    for (StoreBatch.Mutation mutation : run.mutations) {
      if (mutation instanceof StoreBatch.DeleteMessagesThrough m) {
        rows.add(Tuple.of(m.queueId(), m.lastSequence()));
        sql = DELETE_MESSAGES_THROUGH;
      } else if (mutation instanceof StoreBatch.DeletePendingThrough m) {
        rows.add(Tuple.of(m.subscriptionId(), m.lastSequence()));
        sql = DELETE_PENDING_THROUGH;
      } else if (mutation instanceof StoreBatch.PutPurge m) {
        PurgeRecord p = m.purge();
        rows.add(Tuple.of(p.queueId(), p.startedAtMs(), p.throughSequence(), p.completed()));
        sql = PUT_PURGE;
      } else if (mutation instanceof StoreBatch.PutQueue m) {
        rows.add(Tuple.of(m.queue().id(), m.queue().toJson()));
        sql = PUT_QUEUE;
      } else if (mutation instanceof StoreBatch.DeleteQueue m) {
        rows.add(Tuple.of(m.queueId()));
        sql = DELETE_QUEUE;
      } else if (mutation instanceof StoreBatch.PutSubscription m) {
        rows.add(Tuple.of(m.subscription().id(), m.subscription().toJson()));
        sql = PUT_SUBSCRIPTION;
      } else if (mutation instanceof StoreBatch.DeleteHandedLeases m) {
        rows.add(Tuple.of(m.shard()));
        sql = DELETE_HANDED_LEASES;
      } else {
        throw new IllegalArgumentException("unexpected mutation in a run: " + mutation);
      }
    }
    if (DELETE_MESSAGES_THROUGH.equals(sql)) {
      into.add(new Statement(RAISE_HEAD_THROUGH, rows));
      into.add(new Statement(PgPendingFor.FORGET_RESOLVED_THROUGH, rows));
    }
    into.add(new Statement(sql, rows));
  }

  /** A row of messages (queue id) or of pending entries (subscription id). */
  record RowKey(String id, long sequence) {
  }

  private record PendingKey(String subscriptionId, long sequence) {
  }

  // The entries kept on message rows go first, with the subscription's queue (PgPendingFor).
  private static void deleteSubscriptions(Run run, PgPendingFor pendingFor, List<Statement> into) {
    List<Tuple> rows = new ArrayList<>(run.mutations.size());
    List<Tuple> onMessages = new ArrayList<>();
    for (StoreBatch.Mutation mutation : run.mutations) {
      String subscriptionId = ((StoreBatch.DeleteSubscription) mutation).subscriptionId();
      rows.add(Tuple.of(subscriptionId));
      String queueId = pendingFor.queueOf(subscriptionId);
      if (queueId != null) {
        onMessages.add(Tuple.of(queueId, subscriptionId));
      }
    }
    if (!onMessages.isEmpty()) {
      into.add(new Statement(PgPendingFor.REMOVE_SUBSCRIPTION, onMessages));
    }
    into.add(new Statement(DELETE_SUBSCRIPTION, rows));
  }

  // Appends within a run commute except on the same row, where the last one wins: exactly what keeping only
  // each row's last append does (a statement may not upsert one row twice).
  private static void appends(Run run, PgPendingFor pendingFor, List<Statement> into) {
    Map<RowKey, StoredMessage> latest = new LinkedHashMap<>();
    for (StoreBatch.Mutation mutation : run.mutations) {
      StoredMessage message = ((StoreBatch.AppendMessage) mutation).message();
      latest.put(new RowKey(message.queueId(), message.sequence()), message);
    }
    int n = latest.size();
    String[] queueIds = new String[n];
    Long[] sequences = new Long[n];
    String[] ids = new String[n];
    String[] keys = new String[n];
    String[] contentTypes = new String[n];
    Long[] timestamps = new Long[n];
    Long[] availableAts = new Long[n];
    Buffer[] bodies = new Buffer[n];
    String[] pendingFors = new String[n];
    int i = 0;
    for (StoredMessage message : latest.values()) {
      queueIds[i] = message.queueId();
      sequences[i] = message.sequence();
      ids[i] = message.id();
      keys[i] = message.key();
      contentTypes[i] = message.contentType().wireName();
      timestamps[i] = message.timestampMs();
      availableAts[i] = message.availableAtMs();
      bodies[i] = Buffer.buffer(message.body());
      pendingFors[i] = pendingFor.joined(message.queueId(), message.sequence());
      i++;
    }
    into.add(new Statement(APPEND_MESSAGES, List.of(Tuple.tuple().addArrayOfString(queueIds)
        .addArrayOfLong(sequences).addArrayOfString(ids).addArrayOfString(keys).addArrayOfString(contentTypes)
        .addArrayOfLong(timestamps).addArrayOfLong(availableAts).addArrayOfBuffer(bodies)
        .addArrayOfString(pendingFors))));
  }


  // As for appends: a later entry for the same row replaces an earlier one of the run (a statement may not
  // upsert one row twice, nor insert it twice).
  private static void pendings(Run run, String sql, List<Statement> into) {
    Map<RowKey, PendingRecord> latest = new LinkedHashMap<>();
    for (StoreBatch.Mutation mutation : run.mutations) {
      PendingRecord record = mutation instanceof StoreBatch.CreatePending create ? create.pending()
          : ((StoreBatch.PutPending) mutation).pending();
      latest.put(new RowKey(record.subscriptionId(), record.sequence()), record);
    }
    int n = latest.size();
    String[] subscriptionIds = new String[n];
    Long[] sequences = new Long[n];
    Integer[] attempts = new Integer[n];
    Long[] availableAts = new Long[n];
    Boolean[] missed = new Boolean[n];
    int i = 0;
    for (PendingRecord record : latest.values()) {
      subscriptionIds[i] = record.subscriptionId();
      sequences[i] = record.sequence();
      attempts[i] = record.attempts();
      availableAts[i] = record.availableAtMs();
      missed[i] = record.missed();
      i++;
    }
    into.add(new Statement(sql, List.of(Tuple.tuple().addArrayOfString(subscriptionIds)
        .addArrayOfLong(sequences).addArrayOfInteger(attempts).addArrayOfLong(availableAts)
        .addArrayOfBoolean(missed))));
  }

  // A shard's hand-over is one run: one statement over arrays, a later lease of a row replacing an earlier one
  // of the run.
  private static void handLeases(Run run, List<Statement> into) {
    Map<List<Object>, HandedLease> latest = new LinkedHashMap<>();
    for (StoreBatch.Mutation mutation : run.mutations) {
      HandedLease lease = ((StoreBatch.HandLease) mutation).lease();
      latest.put(List.of(lease.shard(), lease.subscriptionId(), lease.sequence()), lease);
    }
    int n = latest.size();
    Integer[] shards = new Integer[n];
    String[] subscriptionIds = new String[n];
    Long[] sequences = new Long[n];
    String[] leaseIds = new String[n];
    Long[] expiries = new Long[n];
    Integer[] attempts = new Integer[n];
    int i = 0;
    for (HandedLease lease : latest.values()) {
      shards[i] = lease.shard();
      subscriptionIds[i] = lease.subscriptionId();
      sequences[i] = lease.sequence();
      leaseIds[i] = lease.leaseId();
      expiries[i] = lease.expiresAtMs();
      attempts[i] = lease.attempts();
      i++;
    }
    into.add(new Statement(DROP_EARLIER_HAND_OVERS, List.of(Tuple.tuple().addArrayOfInteger(
        Arrays.stream(shards).distinct().toArray(Integer[]::new)))));
    into.add(new Statement(HAND_LEASES, List.of(Tuple.tuple().addArrayOfInteger(shards)
        .addArrayOfString(subscriptionIds).addArrayOfLong(sequences).addArrayOfString(leaseIds)
        .addArrayOfLong(expiries).addArrayOfInteger(attempts))));
  }

  // Deletes commute: grouped by queue (or subscription), in chunks of sequences.
  private static void deletes(Run run, List<Statement> into) {
    Map<String, List<Long>> byId = new LinkedHashMap<>();
    for (StoreBatch.Mutation mutation : run.mutations) {
      if (mutation instanceof StoreBatch.DeleteMessage delete) {
        byId.computeIfAbsent(delete.queueId(), id -> new ArrayList<>()).add(delete.sequence());
      } else {
        StoreBatch.DeletePending delete = (StoreBatch.DeletePending) mutation;
        byId.computeIfAbsent(delete.subscriptionId(), id -> new ArrayList<>()).add(delete.sequence());
      }
    }
    List<Tuple> rows = new ArrayList<>(byId.size());
    List<Tuple> heads = new ArrayList<>();
    byId.forEach((id, sequences) -> {
      sequences.sort(null);
      for (int i = sequences.size() - 1; i >= 0 && run.kind == StoreBatch.DeleteMessage.class; i--) {
        if (sequences.get(i) >= 1 && sequences.get(i) <= MAX_SEQUENCE) {
          heads.add(Tuple.of(id, sequences.get(i)));
          break;
        }
      }
      for (int from = 0; from < sequences.size(); from += DELETE_CHUNK) {
        List<Long> chunk = sequences.subList(from, Math.min(sequences.size(), from + DELETE_CHUNK));
        rows.add(Tuple.tuple().addString(id).addArrayOfLong(chunk.toArray(new Long[0]))
            .addLong(chunk.get(0)).addLong(chunk.get(chunk.size() - 1)));
      }
    });
    if (!heads.isEmpty()) {
      into.add(new Statement(RAISE_HEAD, heads));
    }
    String sql = run.kind == StoreBatch.DeleteMessage.class ? DELETE_MESSAGES : DELETE_PENDINGS;
    into.add(new Statement(sql, rows));
  }
}

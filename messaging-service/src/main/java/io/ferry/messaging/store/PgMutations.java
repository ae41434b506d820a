package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates {@link StoreBatch} mutations into few multi-row statements. Mutations are gathered into runs of
 * one kind, each run one {@code executeBatch} (one round trip, executed row by row in order). A mutation may
 * join an earlier run of its kind only when no run in between touches a table it touches, so the result is
 * the same as applying every mutation one by one in call order: a group of publishes (append, then pending
 * entries) becomes two statements, a group of acks (delete pending, delete message, count) three.
 */
final class PgMutations {

  /** One prepared statement and its rows. */
  record Statement(String sql, List<Tuple> rows) {
  }

  private static final int QUEUES = 1;
  private static final int HEADS = 1 << 1;
  private static final int SUBSCRIPTIONS = 1 << 2;
  private static final int ACKNOWLEDGED = 1 << 3;
  private static final int PURGES = 1 << 4;
  private static final int MESSAGES = 1 << 5;
  private static final int PENDING = 1 << 6;

  private static final String PUT_QUEUE = "INSERT INTO messaging_queues (queue_id, record) VALUES ($1, $2) "
      + "ON CONFLICT (queue_id) DO UPDATE SET record = EXCLUDED.record";
  private static final String DELETE_QUEUE = "WITH "
      + "q AS (DELETE FROM messaging_queues WHERE queue_id = $1), "
      + "h AS (DELETE FROM messaging_sequence_heads WHERE queue_id = $1), "
      + "p AS (DELETE FROM messaging_purges WHERE queue_id = $1) "
      + "DELETE FROM messaging_messages WHERE queue_id = $1";
  private static final String PUT_SUBSCRIPTION = "INSERT INTO messaging_subscriptions (subscription_id, record) "
      + "VALUES ($1, $2) ON CONFLICT (subscription_id) DO UPDATE SET record = EXCLUDED.record";
  private static final String DELETE_SUBSCRIPTION = "WITH "
      + "s AS (DELETE FROM messaging_subscriptions WHERE subscription_id = $1), "
      + "a AS (DELETE FROM messaging_acknowledged WHERE subscription_id = $1) "
      + "DELETE FROM messaging_pending WHERE subscription_id = $1";
  private static final String APPEND_MESSAGE = "INSERT INTO messaging_messages (queue_id, sequence, message_id, "
      + "message_key, content_type, timestamp_ms, available_at_ms, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      + "ON CONFLICT (queue_id, sequence) DO UPDATE SET message_id = EXCLUDED.message_id, "
      + "message_key = EXCLUDED.message_key, content_type = EXCLUDED.content_type, "
      + "timestamp_ms = EXCLUDED.timestamp_ms, available_at_ms = EXCLUDED.available_at_ms, body = EXCLUDED.body";
  // Raise only: a head is never lowered, and an append that does not raise it leaves the row untouched.
  private static final String RAISE_HEAD = "INSERT INTO messaging_sequence_heads (queue_id, sequence) "
      + "VALUES ($1, $2) ON CONFLICT (queue_id) DO UPDATE SET sequence = EXCLUDED.sequence "
      + "WHERE messaging_sequence_heads.sequence < EXCLUDED.sequence";
  private static final String DELETE_MESSAGE =
      "DELETE FROM messaging_messages WHERE queue_id = $1 AND sequence = $2";
  private static final String DELETE_MESSAGES_THROUGH =
      "DELETE FROM messaging_messages WHERE queue_id = $1 AND sequence <= $2";
  private static final String PUT_PENDING = "INSERT INTO messaging_pending (subscription_id, sequence, attempts, "
      + "available_at_ms, missed) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subscription_id, sequence) DO UPDATE "
      + "SET attempts = EXCLUDED.attempts, available_at_ms = EXCLUDED.available_at_ms, missed = EXCLUDED.missed";
  private static final String DELETE_PENDING =
      "DELETE FROM messaging_pending WHERE subscription_id = $1 AND sequence = $2";
  private static final String DELETE_PENDING_THROUGH =
      "DELETE FROM messaging_pending WHERE subscription_id = $1 AND sequence <= $2";
  private static final String PUT_PURGE = "INSERT INTO messaging_purges (queue_id, started_at_ms, "
      + "through_sequence, completed) VALUES ($1, $2, $3, $4) ON CONFLICT (queue_id) DO UPDATE SET "
      + "started_at_ms = EXCLUDED.started_at_ms, through_sequence = EXCLUDED.through_sequence, "
      + "completed = EXCLUDED.completed";
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
  static List<Statement> statements(List<StoreBatch> batches) {
    List<Run> runs = new ArrayList<>();
    for (StoreBatch batch : batches) {
      for (StoreBatch.Mutation mutation : batch.mutations()) {
        place(runs, mutation);
      }
    }
    List<Statement> statements = new ArrayList<>(runs.size() + 1);
    for (Run run : runs) {
      translate(run, statements);
    }
    return statements;
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
      return MESSAGES | HEADS;
    } else if (mutation instanceof StoreBatch.DeleteMessage || mutation instanceof StoreBatch.DeleteMessagesThrough) {
      return MESSAGES;
    } else if (mutation instanceof StoreBatch.PutPending || mutation instanceof StoreBatch.DeletePending
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
      return SUBSCRIPTIONS | ACKNOWLEDGED | PENDING;
    }
    throw new IllegalArgumentException("unknown mutation " + mutation);
  }

  private static void translate(Run run, List<Statement> into) {
    List<Tuple> rows = new ArrayList<>(run.mutations.size());
    if (run.kind == StoreBatch.AppendMessage.class) {
      // Appends commute with each other within a run: one head row per queue, raised to the run's highest.
      Map<String, Long> heads = new LinkedHashMap<>();
      for (StoreBatch.Mutation mutation : run.mutations) {
        StoredMessage message = ((StoreBatch.AppendMessage) mutation).message();
        rows.add(Tuple.of(message.queueId(), message.sequence(), message.id(), message.key(),
            message.contentType().wireName(), message.timestampMs(), message.availableAtMs(),
            Buffer.buffer(message.body())));
        heads.merge(message.queueId(), message.sequence(), Math::max);
      }
      into.add(new Statement(APPEND_MESSAGE, rows));
      List<Tuple> headRows = new ArrayList<>(heads.size());
      heads.forEach((queueId, sequence) -> headRows.add(Tuple.of(queueId, sequence)));
      into.add(new Statement(RAISE_HEAD, headRows));
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
      if (mutation instanceof StoreBatch.PutPending m) {
        PendingRecord p = m.pending();
        rows.add(Tuple.of(p.subscriptionId(), p.sequence(), p.attempts(), p.availableAtMs(), p.missed()));
        sql = PUT_PENDING;
      } else if (mutation instanceof StoreBatch.DeletePending m) {
        rows.add(Tuple.of(m.subscriptionId(), m.sequence()));
        sql = DELETE_PENDING;
      } else if (mutation instanceof StoreBatch.DeleteMessage m) {
        rows.add(Tuple.of(m.queueId(), m.sequence()));
        sql = DELETE_MESSAGE;
      } else if (mutation instanceof StoreBatch.DeleteMessagesThrough m) {
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
      } else if (mutation instanceof StoreBatch.DeleteSubscription m) {
        rows.add(Tuple.of(m.subscriptionId()));
        sql = DELETE_SUBSCRIPTION;
      } else {
        throw new IllegalArgumentException("unexpected mutation in a run: " + mutation);
      }
    }
    into.add(new Statement(sql, rows));
  }
}

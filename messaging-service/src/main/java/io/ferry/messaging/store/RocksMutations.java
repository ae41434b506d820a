package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.SerializedWriteBatch.Family;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;

/** Translates {@link StoreBatch} mutations into RocksDB write-batch operations on the store's column families. */
final class RocksMutations implements GroupCommitWriter.Applier {

  private final Family queues;
  private final Family sequences;
  private final Family subscriptions;
  private final Family messages;
  private final Family pending;
  private final Family purges;
  private final Family counters;

  RocksMutations(ColumnFamilyHandle queues, ColumnFamilyHandle sequences, ColumnFamilyHandle subscriptions,
      ColumnFamilyHandle messages, ColumnFamilyHandle pending, ColumnFamilyHandle purges,
      ColumnFamilyHandle counters) {
    this.queues = Family.of(queues);
    this.sequences = Family.of(sequences);
    this.subscriptions = Family.of(subscriptions);
    this.messages = Family.of(messages);
    this.pending = Family.of(pending);
    this.purges = Family.of(purges);
    this.counters = Family.of(counters);
  }

  @Override
  public void apply(StoreBatch batch, SerializedWriteBatch into) {
    // A queue's sequence head is written once per commit, at its highest append, after the commit's other
    // writes (the batch is atomic, so no one sees the order): a batch push appends ten messages, and a put per
    // append was a third of the keys RocksDB wrote for it.
    Heads heads = null;
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append) {
        StoredMessage message = append.message();
        into.put(messages, RocksCodec.sequenceKey(message.queueId(), message.sequence()),
            RocksCodec.messageValue(message));
        if (heads == null) {
          heads = new Heads();
        }
        heads.raise(message.queueId(), message.sequence());
      } else if (mutation instanceof StoreBatch.PutPending put) {
        putPending(put.pending(), into);
      } else if (mutation instanceof StoreBatch.CreatePending create) {
        // A put is a put: creating costs RocksDB no more than replacing.
        putPending(create.pending(), into);
      } else if (mutation instanceof StoreBatch.DeletePending delete) {
        into.delete(pending, RocksCodec.sequenceKey(delete.subscriptionId(), delete.sequence()));
      } else if (mutation instanceof StoreBatch.DeleteMessage delete) {
        into.delete(messages, RocksCodec.sequenceKey(delete.queueId(), delete.sequence()));
      } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
        into.deleteRange(messages, RocksCodec.sequenceKey(delete.queueId(), 0),
            RocksCodec.sequenceKeyAfter(delete.queueId(), delete.lastSequence()));
      } else if (mutation instanceof StoreBatch.DeletePendingThrough delete) {
        into.deleteRange(pending, RocksCodec.sequenceKey(delete.subscriptionId(), 0),
            RocksCodec.sequenceKeyAfter(delete.subscriptionId(), delete.lastSequence()));
      } else if (mutation instanceof StoreBatch.PutPurge put) {
        into.put(purges, RocksCodec.idKey(put.purge().queueId()), RocksCodec.purgeValue(put.purge()));
      } else if (mutation instanceof StoreBatch.AddAcknowledged add) {
        into.merge(counters, RocksCodec.idKey(add.subscriptionId()), RocksCodec.counterValue(add.count()));
      } else if (mutation instanceof StoreBatch.PutQueue put) {
        into.put(queues, RocksCodec.idKey(put.queue().id()), put.queue().toJson().toBuffer().getBytes());
      } else if (mutation instanceof StoreBatch.PutSubscription put) {
        SubscriptionSpec spec = put.subscription();
        into.put(subscriptions, RocksCodec.idKey(spec.id()), spec.toJson().toBuffer().getBytes());
      } else if (mutation instanceof StoreBatch.DeleteSubscription delete) {
        into.delete(subscriptions, RocksCodec.idKey(delete.subscriptionId()));
        into.delete(counters, RocksCodec.idKey(delete.subscriptionId()));
        into.deleteRange(pending, RocksCodec.sequenceKey(delete.subscriptionId(), 0),
            RocksCodec.sequenceKeyEnd(delete.subscriptionId()));
      } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
        if (heads != null) {
          // Appended before the queue's deletion in this commit: gone with it, as they were when written in turn.
          heads.forget(delete.queueId());
        }
        into.delete(queues, RocksCodec.idKey(delete.queueId()));
        into.delete(sequences, RocksCodec.idKey(delete.queueId()));
        into.delete(purges, RocksCodec.idKey(delete.queueId()));
        into.deleteRange(messages, RocksCodec.sequenceKey(delete.queueId(), 0),
            RocksCodec.sequenceKeyEnd(delete.queueId()));
      }
      // HandLease and DeleteHandedLeases: one instance owns an embedded store's shards for good, so none is
      // ever handed over.
    }
    if (heads != null) {
      heads.writeTo(sequences, into);
    }
  }

  private void putPending(PendingRecord record, SerializedWriteBatch into) {
    into.put(pending, RocksCodec.sequenceKey(record.subscriptionId(), record.sequence()),
        RocksCodec.pendingValue(record));
  }

  /**
   * The highest sequence a commit appends to each queue. A commit nearly always appends to one queue, which is
   * kept in two fields: a map of boxed heads, merged per append, was 4 % of Ferry's CPU in a batch push.
   */
  private static final class Heads {

    private String queueId;
    private long head;
    // The other queues, when the commit appends to several (and every queue appended to after the first was
    // forgotten, so that none is in both).
    private Map<String, long[]> others;

    void raise(String queueId, long sequence) {
      if (this.queueId == null && others == null) {
        this.queueId = queueId;
        head = sequence;
      } else if (queueId.equals(this.queueId)) {
        head = Math.max(head, sequence);
      } else {
        if (others == null) {
          others = new HashMap<>(4);
        }
        long[] other = others.computeIfAbsent(queueId, id -> new long[] {sequence});
        other[0] = Math.max(other[0], sequence);
      }
    }

    void forget(String queueId) {
      if (queueId.equals(this.queueId)) {
        this.queueId = null;
      }
      if (others != null) {
        others.remove(queueId);
      }
    }

    void writeTo(Family sequences, SerializedWriteBatch into) {
      if (queueId != null) {
        into.put(sequences, RocksCodec.idKey(queueId), RocksCodec.longValue(head));
      }
      if (others != null) {
        others.forEach((id, other) -> into.put(sequences, RocksCodec.idKey(id), RocksCodec.longValue(other[0])));
      }
    }
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The messages appended through this store and not deleted yet, up to a bound in bytes, so that a pull finds
 * its bodies in memory instead of asking PostgreSQL. Filled only once an append is durable and emptied of a
 * message when a delete of it has been attempted, in commit order, so it never holds what the database does
 * not. When full it takes nothing more until deletes make room: queues are consumed oldest first, so the
 * messages held are the ones asked for next; the others are read from the database.
 */
final class PgBodyCache {

  // What a held message costs beyond its body: the record, its strings and the map entry.
  private static final int ENTRY_OVERHEAD_BYTES = 200;

  private final long capacityBytes;
  private final Map<String, NavigableMap<Long, StoredMessage>> byQueue = new HashMap<>();
  private long heldBytes;

  PgBodyCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Takes the effect of a batch that is durable. */
  synchronized void written(StoreBatch batch) {
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append) {
        put(append.message());
      } else {
        evict(mutation);
      }
    }
  }

  /** Forgets what a batch that failed, or whose outcome is unknown, may have deleted. */
  synchronized void notWritten(StoreBatch batch) {
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append) {
        NavigableMap<Long, StoredMessage> queue = byQueue.get(append.message().queueId());
        if (queue != null) {
          remove(queue, append.message().queueId(), append.message().sequence());
        }
      } else {
        evict(mutation);
      }
    }
  }

  /** The held messages of {@code sequences} by sequence; the others go to {@code missing}, in order. */
  synchronized Map<Long, StoredMessage> get(String queueId, List<Long> sequences, List<Long> missing) {
    NavigableMap<Long, StoredMessage> queue = byQueue.get(queueId);
    Map<Long, StoredMessage> found = new HashMap<>(sequences.size() * 2);
    for (Long sequence : sequences) {
      StoredMessage message = queue == null ? null : queue.get(sequence);
      if (message != null) {
        found.put(sequence, message);
      } else {
        missing.add(sequence);
      }
    }
    return found;
  }

  synchronized long heldBytes() {
    return heldBytes;
  }

  private void put(StoredMessage message) {
    NavigableMap<Long, StoredMessage> held = byQueue.get(message.queueId());
    if (held != null) {
      remove(held, message.queueId(), message.sequence());
    }
    long weight = weight(message);
    if (heldBytes + weight <= capacityBytes) {
      byQueue.computeIfAbsent(message.queueId(), id -> new TreeMap<>()).put(message.sequence(), message);
      heldBytes += weight;
    }
  }

  /** Forgets everything: another instance may have written since (a new epoch, {@link PgMessageStore#load}). */
  synchronized void clear() {
    byQueue.clear();
    heldBytes = 0;
  }

  private void evict(StoreBatch.Mutation mutation) {
    if (mutation instanceof StoreBatch.DeleteMessage delete) {
      NavigableMap<Long, StoredMessage> queue = byQueue.get(delete.queueId());
      if (queue != null) {
        remove(queue, delete.queueId(), delete.sequence());
      }
    } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
      NavigableMap<Long, StoredMessage> queue = byQueue.get(delete.queueId());
      if (queue != null) {
        NavigableMap<Long, StoredMessage> through = queue.headMap(delete.lastSequence(), true);
        through.values().forEach(message -> heldBytes -= weight(message));
        through.clear();
        if (queue.isEmpty()) {
          byQueue.remove(delete.queueId());
        }
      }
    } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
      NavigableMap<Long, StoredMessage> queue = byQueue.remove(delete.queueId());
      if (queue != null) {
        queue.values().forEach(message -> heldBytes -= weight(message));
      }
    }
  }

  private void remove(NavigableMap<Long, StoredMessage> queue, String queueId, long sequence) {
    StoredMessage removed = queue.remove(sequence);
    if (removed != null) {
      heldBytes -= weight(removed);
      if (queue.isEmpty()) {
        byQueue.remove(queueId);
      }
    }
  }

  private static long weight(StoredMessage message) {
    int strings = message.id().length() + (message.key() == null ? 0 : message.key().length());
    return message.body().length + 2L * strings + ENTRY_OVERHEAD_BYTES;
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The messages most recently appended through a store and not deleted yet, up to a bound in bytes, so that a
 * pull finds its bodies in memory instead of reading them back from storage. Filled only once an append is
 * durable and emptied of a message when a delete of it has been attempted, in commit order, so it never holds
 * what storage does not. When full, the oldest appends make room for the newest: a consumer that keeps up
 * pulls what was pushed last, and acked messages stay in their queue's log until retention removes them, so
 * keeping the oldest would fill the cache with messages nobody pulls again.
 */
final class BodyCache {

  // What a held message costs beyond its body: the record, its strings and the map entries.
  private static final int ENTRY_OVERHEAD_BYTES = 200;

  private record Held(String queueId, long sequence) {
  }

  private final long capacityBytes;
  private final Map<String, NavigableMap<Long, StoredMessage>> byQueue = new HashMap<>();
  // Every held message, oldest append first.
  private final LinkedHashMap<Held, StoredMessage> byAge = new LinkedHashMap<>();
  private long heldBytes;

  BodyCache(long capacityBytes) {
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
        remove(append.message().queueId(), append.message().sequence());
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

  /** Forgets everything: another instance may have written since (a new epoch, {@link PgMessageStore#load}). */
  synchronized void clear() {
    byQueue.clear();
    byAge.clear();
    heldBytes = 0;
  }

  private void put(StoredMessage message) {
    remove(message.queueId(), message.sequence());
    long weight = weight(message);
    if (weight > capacityBytes) {
      return;
    }
    for (Iterator<StoredMessage> oldest = byAge.values().iterator();
        heldBytes + weight > capacityBytes && oldest.hasNext(); ) {
      StoredMessage evicted = oldest.next();
      oldest.remove();
      forgetInQueue(evicted.queueId(), evicted.sequence());
      heldBytes -= weight(evicted);
    }
    byQueue.computeIfAbsent(message.queueId(), id -> new TreeMap<>()).put(message.sequence(), message);
    byAge.put(new Held(message.queueId(), message.sequence()), message);
    heldBytes += weight;
  }

  private void evict(StoreBatch.Mutation mutation) {
    if (mutation instanceof StoreBatch.DeleteMessage delete) {
      remove(delete.queueId(), delete.sequence());
    } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
      NavigableMap<Long, StoredMessage> queue = byQueue.get(delete.queueId());
      if (queue != null) {
        removeAll(delete.queueId(), queue.headMap(delete.lastSequence(), true));
      }
    } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
      NavigableMap<Long, StoredMessage> queue = byQueue.get(delete.queueId());
      if (queue != null) {
        removeAll(delete.queueId(), queue);
      }
    }
  }

  private void removeAll(String queueId, NavigableMap<Long, StoredMessage> range) {
    for (StoredMessage message : range.values()) {
      byAge.remove(new Held(queueId, message.sequence()));
      heldBytes -= weight(message);
    }
    range.clear();
    if (byQueue.get(queueId).isEmpty()) {
      byQueue.remove(queueId);
    }
  }

  private void remove(String queueId, long sequence) {
    StoredMessage removed = byAge.remove(new Held(queueId, sequence));
    if (removed != null) {
      forgetInQueue(queueId, sequence);
      heldBytes -= weight(removed);
    }
  }

  private void forgetInQueue(String queueId, long sequence) {
    NavigableMap<Long, StoredMessage> queue = byQueue.get(queueId);
    if (queue != null) {
      queue.remove(sequence);
      if (queue.isEmpty()) {
        byQueue.remove(queueId);
      }
    }
  }

  /** The values of {@code bySequence} in the order of {@code wanted}, leaving out those not found. */
  static <T> List<T> inAskedOrder(List<Long> wanted, Map<Long, T> bySequence) {
    List<T> found = new ArrayList<>(bySequence.size());
    for (Long sequence : wanted) {
      T value = bySequence.get(sequence);
      if (value != null) {
        found.add(value);
      }
    }
    return found;
  }

  private static long weight(StoredMessage message) {
    int strings = message.id().length() + (message.key() == null ? 0 : message.key().length());
    return message.body().length + 2L * strings + ENTRY_OVERHEAD_BYTES;
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.model.StoredMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The messages most recently appended through a store and not deleted yet, up to a bound in bytes, so that a
 * pull finds its bodies in memory instead of reading them back from storage. Filled only once an append is
 * durable and emptied of a message when a delete of it has been attempted, in commit order, so it never holds
 * what storage does not. When full, the oldest appends make room for the newest: a consumer that keeps up
 * pulls what was pushed last, and acked messages stay in their queue's log until retention removes them, so
 * keeping the oldest would fill the cache with messages nobody pulls again.
 *
 * <p>Every push passes through here once per message, so nothing is allocated per message held: each queue
 * keeps its messages in arrays sorted by sequence (appends come in rising order), and the age order is a queue
 * of the messages themselves. A message deleted stays in that queue until it reaches the front or a sweep
 * drops it (once such messages outnumber the held ones, or weigh a quarter of the bound), so they never keep
 * more than that alive beyond the bound.
 */
final class BodyCache {

  // What a held message costs beyond its body: the record, its strings and the slots holding it.
  private static final int ENTRY_OVERHEAD_BYTES = 200;
  private static final int LEAST_GONE_BEFORE_SWEEP = 64;

  private final long capacityBytes;
  private final Map<String, QueueBodies> byQueue = new HashMap<>();
  // Every held message, oldest append first, among messages no longer held (see gone).
  private final ArrayDeque<StoredMessage> byAge = new ArrayDeque<>();
  private long heldBytes;
  private int heldCount;
  // How many entries of byAge, of what weight, are no longer held: a guide for sweeping, not exact (a message
  // appended twice as the same object is in byAge twice and held once).
  private int goneCount;
  private long goneBytes;

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
    sweepIfMostlyGone();
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
    sweepIfMostlyGone();
  }

  /** The held messages of {@code sequences} by sequence; the others go to {@code missing}, in order. */
  synchronized Map<Long, StoredMessage> get(String queueId, List<Long> sequences, List<Long> missing) {
    QueueBodies queue = byQueue.get(queueId);
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

  /** Messages the age order still refers to that are no longer held (for tests: bounded by the sweep). */
  synchronized int goneStillReferenced() {
    return byAge.size() - heldCount;
  }

  /** Forgets everything: another instance may have written since (a new epoch, {@link PgMessageStore#load}). */
  synchronized void clear() {
    byQueue.clear();
    byAge.clear();
    heldBytes = 0;
    heldCount = 0;
    goneCount = 0;
    goneBytes = 0;
  }

  private void put(StoredMessage message) {
    remove(message.queueId(), message.sequence());
    long weight = weight(message);
    if (weight > capacityBytes) {
      return;
    }
    while (heldBytes + weight > capacityBytes && !byAge.isEmpty()) {
      evictOldest();
    }
    byQueue.computeIfAbsent(message.queueId(), id -> new QueueBodies()).put(message);
    byAge.add(message);
    heldBytes += weight;
    heldCount++;
  }

  private void evictOldest() {
    StoredMessage oldest = byAge.poll();
    QueueBodies queue = byQueue.get(oldest.queueId());
    if (queue != null && queue.removeIfSame(oldest)) {
      heldBytes -= weight(oldest);
      heldCount--;
      dropIfEmpty(oldest.queueId(), queue);
    } else {
      goneCount = Math.max(0, goneCount - 1);
      goneBytes = Math.max(0, goneBytes - weight(oldest));
    }
  }

  private void evict(StoreBatch.Mutation mutation) {
    if (mutation instanceof StoreBatch.DeleteMessage delete) {
      remove(delete.queueId(), delete.sequence());
    } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
      QueueBodies queue = byQueue.get(delete.queueId());
      if (queue != null) {
        queue.removeThrough(delete.lastSequence(), this::gone);
        dropIfEmpty(delete.queueId(), queue);
      }
    } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
      QueueBodies queue = byQueue.remove(delete.queueId());
      if (queue != null) {
        queue.removeThrough(Long.MAX_VALUE, this::gone);
      }
    }
  }

  private void remove(String queueId, long sequence) {
    QueueBodies queue = byQueue.get(queueId);
    if (queue == null) {
      return;
    }
    StoredMessage removed = queue.remove(sequence);
    if (removed != null) {
      gone(removed);
      dropIfEmpty(queueId, queue);
    }
  }

  // A held message removed other than from the front of the age order, where it stays for now.
  private void gone(StoredMessage removed) {
    long weight = weight(removed);
    heldBytes -= weight;
    heldCount--;
    goneCount++;
    goneBytes += weight;
  }

  private void dropIfEmpty(String queueId, QueueBodies queue) {
    if (queue.isEmpty()) {
      byQueue.remove(queueId);
    }
  }

  // In a queue that is pushed and acked in order the gone messages are the oldest ones: they leave from the
  // front. A message left unacked at the front holds them back; then one pass keeps only the held ones.
  private void sweepIfMostlyGone() {
    if (!mostlyGone()) {
      return;
    }
    while (!byAge.isEmpty() && !isHeld(byAge.peek())) {
      StoredMessage dropped = byAge.poll();
      goneCount = Math.max(0, goneCount - 1);
      goneBytes = Math.max(0, goneBytes - weight(dropped));
    }
    if (mostlyGone()) {
      byAge.removeIf(message -> !isHeld(message));
      goneCount = 0;
      goneBytes = 0;
    }
  }

  private boolean mostlyGone() {
    return goneCount > heldCount + LEAST_GONE_BEFORE_SWEEP || goneBytes > capacityBytes / 4;
  }

  private boolean isHeld(StoredMessage message) {
    QueueBodies queue = byQueue.get(message.queueId());
    return queue != null && queue.get(message.sequence()) == message;
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

  /**
   * One queue's held messages in slots sorted by sequence, {@code [start, end)}; a removed message leaves an
   * empty slot (its sequence stays, so the slots stay sorted) until the slots are rebuilt as they fill.
   */
  private static final class QueueBodies {

    private static final int LEAST_SLOTS = 8;

    private long[] sequences = new long[LEAST_SLOTS];
    private StoredMessage[] messages = new StoredMessage[LEAST_SLOTS];
    private int start;
    private int end;
    private int held;

    boolean isEmpty() {
      return held == 0;
    }

    StoredMessage get(long sequence) {
      int slot = slotOf(sequence);
      return slot < 0 ? null : messages[slot];
    }

    /** Holds {@code message}, in the place of one of the same sequence if there is one. */
    void put(StoredMessage message) {
      long sequence = message.sequence();
      if (end == messages.length) {
        rebuild();
      }
      if (start == end || sequence > sequences[end - 1]) {
        sequences[end] = sequence;
        messages[end++] = message;
        held++;
        return;
      }
      int slot = firstAtOrAbove(sequence);
      if (sequences[slot] != sequence) {
        // Below the highest held: only a replayed or repeated append. Room was made above.
        System.arraycopy(sequences, slot, sequences, slot + 1, end - slot);
        System.arraycopy(messages, slot, messages, slot + 1, end - slot);
        end++;
        sequences[slot] = sequence;
        messages[slot] = null;
      }
      if (messages[slot] == null) {
        held++;
      }
      messages[slot] = message;
    }

    StoredMessage remove(long sequence) {
      int slot = slotOf(sequence);
      if (slot < 0 || messages[slot] == null) {
        return null;
      }
      StoredMessage removed = messages[slot];
      messages[slot] = null;
      held--;
      trim();
      return removed;
    }

    boolean removeIfSame(StoredMessage message) {
      int slot = slotOf(message.sequence());
      if (slot < 0 || messages[slot] != message) {
        return false;
      }
      messages[slot] = null;
      held--;
      trim();
      return true;
    }

    void removeThrough(long lastSequence, Consumer<StoredMessage> removed) {
      for (int slot = start; slot < end && sequences[slot] <= lastSequence; slot++) {
        if (messages[slot] != null) {
          removed.accept(messages[slot]);
          messages[slot] = null;
          held--;
        }
      }
      trim();
    }

    private void trim() {
      while (start < end && messages[start] == null) {
        start++;
      }
      while (end > start && messages[end - 1] == null) {
        end--;
      }
      if (start == end) {
        start = 0;
        end = 0;
      }
    }

    // New slots with room for as many messages again as are held (so rebuilding is rare: amortized once per
    // held message), the empty slots left out; the slots also shrink once most of them were emptied.
    private void rebuild() {
      int length = Math.max(LEAST_SLOTS, held * 2);
      long[] newSequences = new long[length];
      StoredMessage[] newMessages = new StoredMessage[length];
      int next = 0;
      for (int slot = start; slot < end; slot++) {
        if (messages[slot] != null) {
          newSequences[next] = sequences[slot];
          newMessages[next++] = messages[slot];
        }
      }
      sequences = newSequences;
      messages = newMessages;
      start = 0;
      end = next;
    }

    // The slot of sequence, or -1 when no slot has it.
    private int slotOf(long sequence) {
      if (start == end || sequence < sequences[start] || sequence > sequences[end - 1]) {
        return -1;
      }
      int slot = firstAtOrAbove(sequence);
      return slot < end && sequences[slot] == sequence ? slot : -1;
    }

    // The first slot whose sequence is at least sequence (end when none is).
    private int firstAtOrAbove(long sequence) {
      int low = start;
      int high = end;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (sequences[middle] < sequence) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }
  }
}

package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueMetrics;
import java.util.Arrays;

/**
 * Every message the store holds for one queue, as the hot state tracks it (no bodies, no ids), in sequence
 * order. Kept as parallel primitive arrays (about 30 bytes per message) rather than an object per message,
 * so that a backlog of millions fits a small heap. Appends arrive in sequence order; removals may come in
 * any order and leave a tombstone that the head skips and the next growth compacts away.
 *
 * <p>A message every subscription resolved (acked or dead-lettered) is <em>settled</em>: it stays in the
 * store as history (Sonya replays it) until retention or an explicit deletion removes it, but no longer
 * counts as part of the queue's backlog and is no longer delivered, peeked, listed or found by id.
 *
 * <p>Indices are only valid until the next {@link #append}: callers look entries up by sequence, use the
 * index at once, and never keep it across an asynchronous step.
 */
final class RetainedLog {

  // Flag bits: DELETING while a deletion is being written, SETTLED once every subscription resolved it,
  // GONE (alone) for a tombstone.
  private static final byte DELETING = 1;
  private static final byte GONE = 2;
  private static final byte SETTLED = 4;
  private static final int INITIAL_CAPACITY = 16;

  private long[] sequences = new long[INITIAL_CAPACITY];
  private long[] timestamps = new long[INITIAL_CAPACITY];
  private int[] delays = new int[INITIAL_CAPACITY];
  private int[] bodyBytes = new int[INITIAL_CAPACITY];
  private int[] unresolved = new int[INITIAL_CAPACITY];
  private byte[] flags = new byte[INITIAL_CAPACITY];
  private int head;
  private int tail;
  private int liveCount;
  private long liveBytes;
  private int settledCount;
  private long settledBytes;
  // Every message below this sequence is settled or gone: where the oldest backlog message is looked for.
  private long unsettledFrom;

  /** Adds a message with a sequence above every retained one; returns its index. */
  int append(long sequence, long timestampMs, long availableAtMs, int bytes, int unresolvedCount) {
    if (tail > head && sequence <= sequences[tail - 1]) {
      throw new IllegalStateException("sequence " + sequence + " appended after " + sequences[tail - 1]);
    }
    if (tail == sequences.length) {
      makeRoom();
    }
    int i = tail++;
    sequences[i] = sequence;
    timestamps[i] = timestampMs;
    // Delays are at most 12 h, so the offset always fits; clamping only guards corrupt input.
    delays[i] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, availableAtMs - timestampMs));
    bodyBytes[i] = bytes;
    unresolved[i] = unresolvedCount;
    flags[i] = 0;
    liveCount++;
    liveBytes += bytes;
    return i;
  }

  /** The index of the retained message with this sequence, or -1. */
  int find(long sequence) {
    int i = lowerBound(sequence);
    return i < tail && sequences[i] == sequence && flags[i] != GONE ? i : -1;
  }

  /** The first index whose sequence is at least {@code sequence} (tombstones included), or {@link #end()}. */
  int lowerBound(long sequence) {
    int found = Arrays.binarySearch(sequences, head, tail, sequence);
    return found >= 0 ? found : -found - 1;
  }

  int start() {
    return head;
  }

  int end() {
    return tail;
  }

  /** Whether the entry at {@code i} is a retained message (not a tombstone). */
  boolean isRetained(int i) {
    return flags[i] != GONE;
  }

  boolean isDeleting(int i) {
    return flags[i] != GONE && (flags[i] & DELETING) != 0;
  }

  void setDeleting(int i, boolean deleting) {
    if (flags[i] != GONE) {
      flags[i] = (byte) (deleting ? flags[i] | DELETING : flags[i] & ~DELETING);
    }
  }

  /** Whether every subscription resolved the message at {@code i}: history only, not backlog. */
  boolean isSettled(int i) {
    return flags[i] != GONE && (flags[i] & SETTLED) != 0;
  }

  void setSettled(int i, boolean settled) {
    if (flags[i] == GONE || isSettled(i) == settled) {
      return;
    }
    flags[i] = (byte) (settled ? flags[i] | SETTLED : flags[i] & ~SETTLED);
    settledCount += settled ? 1 : -1;
    settledBytes += settled ? bodyBytes[i] : -bodyBytes[i];
    if (!settled) {
      unsettledFrom = Math.min(unsettledFrom, sequences[i]);
    }
  }

  /** Whether the entry at {@code i} is a message that is part of the backlog (retained, not settled). */
  boolean isBacklog(int i) {
    return flags[i] != GONE && (flags[i] & SETTLED) == 0;
  }

  /** The sequence of the oldest retained message, settled ones included (0 when none). */
  long oldestSequence() {
    return head < tail ? sequences[head] : 0;
  }

  long sequence(int i) {
    return sequences[i];
  }

  long timestampMs(int i) {
    return timestamps[i];
  }

  long availableAtMs(int i) {
    return timestamps[i] + delays[i];
  }

  int bodyBytes(int i) {
    return bodyBytes[i];
  }

  int unresolved(int i) {
    return unresolved[i];
  }

  void addUnresolved(int i, int delta) {
    unresolved[i] += delta;
  }

  /** Forgets the message with this sequence (its deletion is durable); no-op if it is not retained. */
  void release(long sequence) {
    int i = find(sequence);
    if (i >= 0) {
      bury(i);
      advanceHead();
    }
  }

  /** Forgets every message up to {@code last}. */
  void releaseThrough(long last) {
    int i = head;
    for (; i < tail && sequences[i] <= last; i++) {
      if (flags[i] != GONE) {
        bury(i);
      }
    }
    head = i;
    advanceHead();
  }

  int size() {
    return liveCount;
  }

  /** The backlog: retained messages that are not settled. */
  QueueMetrics metrics() {
    int count = liveCount - settledCount;
    if (count == 0) {
      return QueueMetrics.EMPTY;
    }
    int i = lowerBound(unsettledFrom);
    while (i < tail && !isBacklog(i)) {
      i++;
    }
    if (i == tail) {
      for (i = head; !isBacklog(i); i++) {
        // Only reached if the hint overshot; count > 0 guarantees a backlog message.
      }
    }
    unsettledFrom = sequences[i];
    return new QueueMetrics(count, liveBytes - settledBytes, timestamps[i]);
  }

  private void advanceHead() {
    while (head < tail && flags[head] == GONE) {
      head++;
    }
    if (head == tail) {
      head = 0;
      tail = 0;
    }
  }

  private void bury(int i) {
    if (isSettled(i)) {
      settledCount--;
      settledBytes -= bodyBytes[i];
    }
    flags[i] = GONE;
    liveCount--;
    liveBytes -= bodyBytes[i];
  }

  // Compacts in place when at least half the slots are tombstones or released head; grows otherwise.
  private void makeRoom() {
    int capacity = sequences.length;
    if (liveCount <= capacity / 2) {
      compact();
      return;
    }
    int grown = capacity + (capacity >> 1);
    sequences = Arrays.copyOf(sequences, grown);
    timestamps = Arrays.copyOf(timestamps, grown);
    delays = Arrays.copyOf(delays, grown);
    bodyBytes = Arrays.copyOf(bodyBytes, grown);
    unresolved = Arrays.copyOf(unresolved, grown);
    flags = Arrays.copyOf(flags, grown);
  }

  private void compact() {
    int to = 0;
    for (int from = head; from < tail; from++) {
      if (flags[from] == GONE) {
        continue;
      }
      sequences[to] = sequences[from];
      timestamps[to] = timestamps[from];
      delays[to] = delays[from];
      bodyBytes[to] = bodyBytes[from];
      unresolved[to] = unresolved[from];
      flags[to] = flags[from];
      to++;
    }
    head = 0;
    tail = to;
  }
}

package io.ferry.messaging.core;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * A sorted set of sequences kept as one bit per sequence in 64-sequence words. A subscription's backlog is
 * mostly consecutive sequences, so a million of them cost about 1.3 MB here instead of a boxed entry each;
 * widely scattered sequences (clients choosing huge jumps) cost one word entry each, no worse than a boxed
 * entry.
 */
final class SequenceSet {

  private final TreeMap<Long, long[]> words = new TreeMap<>();
  private int size;

  boolean add(long sequence) {
    long key = sequence >>> 6;
    long bit = 1L << (sequence & 63);
    long[] word = words.get(key);
    if (word == null) {
      word = new long[1];
      words.put(key, word);
    } else if ((word[0] & bit) != 0) {
      return false;
    }
    word[0] |= bit;
    size++;
    return true;
  }

  boolean remove(long sequence) {
    long key = sequence >>> 6;
    long bit = 1L << (sequence & 63);
    long[] word = words.get(key);
    if (word == null || (word[0] & bit) == 0) {
      return false;
    }
    word[0] &= ~bit;
    if (word[0] == 0) {
      words.remove(key);
    }
    size--;
    return true;
  }

  boolean contains(long sequence) {
    long[] word = words.get(sequence >>> 6);
    return word != null && (word[0] & (1L << (sequence & 63))) != 0;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The lowest sequence, or -1 when empty. */
  long first() {
    Map.Entry<Long, long[]> entry = words.firstEntry();
    return entry == null ? -1 : (entry.getKey() << 6) + Long.numberOfTrailingZeros(entry.getValue()[0]);
  }

  /** Removes and returns the lowest sequence, or -1 when empty. */
  long pollFirst() {
    long first = first();
    if (first >= 0) {
      remove(first);
    }
    return first;
  }

  /** Removes every sequence up to {@code last}; returns how many there were. */
  int removeThrough(long last) {
    int removed = 0;
    long lastKey = last >>> 6;
    Iterator<long[]> below = words.headMap(lastKey, false).values().iterator();
    while (below.hasNext()) {
      removed += Long.bitCount(below.next()[0]);
      below.remove();
    }
    long[] word = words.get(lastKey);
    if (word != null) {
      int bit = (int) (last & 63);
      long mask = bit == 63 ? -1L : (1L << (bit + 1)) - 1;
      removed += Long.bitCount(word[0] & mask);
      word[0] &= ~mask;
      if (word[0] == 0) {
        words.remove(lastKey);
      }
    }
    size -= removed;
    return removed;
  }

  /** Calls {@code action} with every sequence, in ascending order. The set must not change meanwhile. */
  void forEach(LongConsumer action) {
    for (Map.Entry<Long, long[]> entry : words.entrySet()) {
      long base = entry.getKey() << 6;
      for (long bits = entry.getValue()[0]; bits != 0; bits &= bits - 1) {
        action.accept(base + Long.numberOfTrailingZeros(bits));
      }
    }
  }
}

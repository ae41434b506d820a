package io.ferry.messaging.core;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Sequences waiting for a time (their delay or retry delay), grouped by that time in milliseconds. Messages
 * published together share their time, so a group is usually a run of consecutive sequences.
 */
final class DelayedSet {

  private final TreeMap<Long, SequenceSet> byTime = new TreeMap<>();
  // Which sequences are here at all, so that removing an absent one never searches the groups.
  private final SequenceSet members = new SequenceSet();

  void add(long dueAtMs, long sequence) {
    if (members.add(sequence)) {
      byTime.computeIfAbsent(dueAtMs, t -> new SequenceSet()).add(sequence);
    }
  }

  /** Removes the sequence, looked for at {@code dueAtMs} first and then in every group. */
  boolean remove(long dueAtMs, long sequence) {
    if (!members.remove(sequence)) {
      return false;
    }
    SequenceSet group = byTime.get(dueAtMs);
    if (group != null && group.remove(sequence)) {
      if (group.isEmpty()) {
        byTime.remove(dueAtMs);
      }
      return true;
    }
    for (Iterator<SequenceSet> it = byTime.values().iterator(); it.hasNext(); ) {
      SequenceSet other = it.next();
      if (other.remove(sequence)) {
        if (other.isEmpty()) {
          it.remove();
        }
        break;
      }
    }
    return true;
  }

  /** Removes every sequence due at or before {@code nowMs}, handing each to {@code due}; true if any. */
  boolean pollDue(long nowMs, LongConsumer due) {
    boolean any = false;
    for (Map.Entry<Long, SequenceSet> group; (group = byTime.firstEntry()) != null && group.getKey() <= nowMs; ) {
      byTime.pollFirstEntry();
      group.getValue().forEach(members::remove);
      group.getValue().forEach(due);
      any = true;
    }
    return any;
  }

  void removeThrough(long last) {
    if (members.removeThrough(last) == 0) {
      return;
    }
    for (Iterator<SequenceSet> it = byTime.values().iterator(); it.hasNext(); ) {
      SequenceSet group = it.next();
      group.removeThrough(last);
      if (group.isEmpty()) {
        it.remove();
      }
    }
  }

  int size() {
    return members.size();
  }

  void forEach(LongConsumer action) {
    members.forEach(action);
  }
}

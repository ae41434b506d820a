package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.QueueMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The compact hot-state structures against plain collections doing the same operations. */
class CompactStructuresTest {

  @Test
  void sequenceSetBehavesLikeASortedSet() {
    Random random = new Random(7);
    SequenceSet set = new SequenceSet();
    TreeSet<Long> expected = new TreeSet<>();
    for (int i = 0; i < 20_000; i++) {
      // Dense runs plus scattered huge sequences (clients may choose any increasing sequence).
      long sequence = random.nextInt(10) == 0 ? 1 + (random.nextLong() >>> 2) : 1 + random.nextInt(5_000);
      switch (random.nextInt(5)) {
        case 0, 1 -> assertEquals(expected.add(sequence), set.add(sequence));
        case 2 -> assertEquals(expected.remove(sequence), set.remove(sequence));
        case 3 -> assertEquals(expected.isEmpty() ? -1L : expected.pollFirst(), set.pollFirst());
        default -> {
          long last = 1 + random.nextInt(5_000);
          int before = expected.size();
          expected.headSet(last, true).clear();
          assertEquals(before - expected.size(), set.removeThrough(last));
        }
      }
      assertEquals(expected.size(), set.size());
      assertEquals(expected.isEmpty() ? -1L : expected.first(), set.first());
      assertEquals(expected.contains(sequence), set.contains(sequence));
    }
    List<Long> iterated = new ArrayList<>();
    set.forEach(iterated::add);
    assertEquals(new ArrayList<>(expected), iterated);
    set.add(Long.MAX_VALUE);
    assertEquals(1, set.removeThrough(Long.MAX_VALUE) - expected.size());
    assertTrue(set.isEmpty());
  }

  @Test
  void delayedSetReleasesSequencesWhenDueAndRemovesAnywhere() {
    DelayedSet delayed = new DelayedSet();
    delayed.add(100, 1);
    delayed.add(100, 2);
    delayed.add(300, 3);
    delayed.add(200, 4);
    delayed.add(200, 4);
    assertEquals(4, delayed.size());
    assertTrue(delayed.remove(999, 2), "found even when looked for at the wrong time");
    assertFalse(delayed.remove(100, 2));
    List<Long> due = new ArrayList<>();
    assertTrue(delayed.pollDue(200, due::add));
    assertEquals(List.of(1L, 4L), due);
    assertFalse(delayed.pollDue(250, due::add));
    delayed.add(400, 5);
    delayed.removeThrough(3);
    assertEquals(1, delayed.size());
    due.clear();
    delayed.pollDue(Long.MAX_VALUE, due::add);
    assertEquals(List.of(5L), due);
  }

  @Test
  void retainedLogFindsReleasesCompactsAndMeasures() {
    RetainedLog log = new RetainedLog();
    TreeMap<Long, Integer> expected = new TreeMap<>();
    Random random = new Random(11);
    long sequence = 0;
    for (int round = 0; round < 50_000; round++) {
      if (random.nextInt(3) > 0 || expected.isEmpty()) {
        sequence += 1 + random.nextInt(3);
        int bytes = random.nextInt(100);
        log.append(sequence, 1_000 + sequence, 1_000 + sequence + 5, bytes, 2);
        expected.put(sequence, bytes);
      } else {
        Long victim = random.nextInt(4) == 0 ? expected.firstKey()
            : expected.ceilingKey(1 + (long) (random.nextDouble() * sequence));
        if (victim != null) {
          log.release(victim);
          expected.remove(victim);
        }
      }
    }
    assertEquals(expected.size(), log.size());
    for (long s = 1; s <= sequence; s++) {
      int index = log.find(s);
      assertEquals(expected.containsKey(s), index >= 0, "sequence " + s);
      if (index >= 0) {
        assertEquals(1_000 + s, log.timestampMs(index));
        assertEquals(1_005 + s, log.availableAtMs(index));
        assertEquals(expected.get(s), log.bodyBytes(index));
        assertEquals(2, log.unresolved(index));
      }
    }
    long bytes = expected.values().stream().mapToLong(Integer::longValue).sum();
    assertEquals(new QueueMetrics(expected.size(), bytes, 1_000 + expected.firstKey()), log.metrics());

    long middle = expected.keySet().stream().skip(expected.size() / 2).findFirst().orElseThrow();
    log.releaseThrough(middle);
    expected.headMap(middle, true).clear();
    assertEquals(expected.size(), log.size());
    assertEquals(1_000 + expected.firstKey(), log.metrics().oldestTimestampMs());
    assertThrows(IllegalStateException.class, () -> log.append(middle, 0, 0, 0, 0));
    log.releaseThrough(Long.MAX_VALUE);
    assertEquals(QueueMetrics.EMPTY, log.metrics());
  }

  @Test
  void messageIdsLocateTheirMessage() {
    String queueId = "0123456789abcdef0123456789abcdef";
    String id = MessageIds.newId(queueId, 42);
    assertTrue(io.ferry.contracts.model.Ids.isValid(id), id);
    assertEquals(42, MessageIds.sequenceOf(id));
    assertTrue(MessageIds.mayBelongTo(id, queueId));
    assertFalse(MessageIds.mayBelongTo(id, "f" + queueId.substring(1)));
    assertEquals(Long.MAX_VALUE, MessageIds.sequenceOf(MessageIds.newId(queueId, Long.MAX_VALUE)));
    assertEquals(-1, MessageIds.sequenceOf("not an id"));
    assertEquals(-1, MessageIds.sequenceOf("0".repeat(32)));
    assertFalse(MessageIds.newId(queueId, 1).equals(MessageIds.newId(queueId, 2)));
  }
}

package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log's keys sort in arrival order and give their sequence back, from the first entry to the largest. */
class LogKeysTest {

  private final LogKeys keys = new LogKeys("wattempt/", "wattemptid/");

  @Test
  void keysAreSixteenHexDigitsThatSortInSequenceOrder() {
    assertEquals("wattempt/lst_1/0000000000000000", keys.key("lst_1", 0));
    assertEquals("wattempt/lst_1/00000000000000ff", keys.key("lst_1", 255));
    assertEquals("wattempt/lst_1/7fffffffffffffff", keys.key("lst_1", Long.MAX_VALUE));
    List<String> inOrder = new ArrayList<>();
    for (long sequence : new long[] {0, 9, 10, 15, 16, 4095, 4096, 1L << 40, Long.MAX_VALUE}) {
      String key = keys.key("lst_1", sequence);
      assertEquals(sequence, LogKeys.sequence(key));
      inOrder.add(key);
    }
    assertEquals(inOrder.stream().sorted().toList(), inOrder);
    assertTrue(inOrder.stream().allMatch(key -> key.compareTo(LogKeys.upperBound(keys.ownerPrefix("lst_1"))) < 0));
  }
}

package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void percentilesOfAUniformSpreadAreWithinTheBucketResolution() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (long micros = 1; micros <= 10_000; micros++) {
      histogram.record(micros);
    }
    assertEquals(10_000, histogram.count());
    assertClose(5_000, histogram.percentile(0.50));
    assertClose(9_900, histogram.percentile(0.99));
    assertEquals(10_000, histogram.percentile(1.0), "never above the largest value recorded");
  }

  @Test
  void theTextFormCarriesEveryPercentileToAnotherJvm() {
    LatencyHistogram sent = new LatencyHistogram();
    for (long micros = 1; micros <= 50_000; micros += 7) {
      sent.record(micros);
    }
    LatencyHistogram received = LatencyHistogram.decode(sent.encode());
    assertEquals(sent.count(), received.count());
    for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
      assertEquals(sent.percentile(q), received.percentile(q));
    }
    assertEquals(0, LatencyHistogram.decode(new LatencyHistogram().encode()).count());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(3);
    histogram.record(7);
    assertEquals(3, histogram.percentile(0.5));
    assertEquals(7, histogram.percentile(0.99));
  }

  @Test
  void nanosecondsAreRecordedAsMicroseconds() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.recordNanos(42_000);
    assertEquals(42, histogram.percentile(0.5));
  }

  @Test
  void mergedHistogramsCountBoth() {
    LatencyHistogram fast = new LatencyHistogram();
    LatencyHistogram slow = new LatencyHistogram();
    for (int i = 0; i < 99; i++) {
      fast.record(100);
    }
    slow.record(50_000);
    fast.add(slow);
    assertEquals(100, fast.count());
    assertClose(100, fast.percentile(0.99));
    assertClose(50_000, fast.percentile(1.0));
  }

  @Test
  void emptyHistogramAnswersZero() {
    assertEquals(0, new LatencyHistogram().percentile(0.99));
  }

  @Test
  void bucketsGrowMonotonically() {
    int previous = -1;
    for (long micros = 0; micros < 1L << 40; micros = micros * 2 + 1) {
      int index = LatencyHistogram.index(micros);
      assertTrue(index > previous, "index of " + micros);
      previous = index;
    }
  }

  private static void assertClose(long expected, long actual) {
    assertTrue(Math.abs(actual - expected) <= expected * 0.04, "expected about " + expected + ", got " + actual);
  }
}

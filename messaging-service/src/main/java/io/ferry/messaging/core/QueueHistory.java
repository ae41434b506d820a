package io.ferry.messaging.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One queue's recent figures for graphs: a point every {@link #RESOLUTION_MS} of engine time, the newest
 * {@link #CAPACITY} kept (an hour). Gauges are as sampled at the point; counters are what happened since the
 * previous point. Sampled and read on the engine's context only.
 */
public final class QueueHistory {

  public static final long RESOLUTION_MS = 10_000;
  public static final int CAPACITY = 360;

  /** One sample; {@code pushed}, {@code acked} and {@code deadLettered} count the interval it ends. */
  public record Point(long timestampMs, long backlogCount, long backlogBytes, long leasedCount, long pushed,
      long acked, long deadLettered) {
  }

  private final Deque<Point> points = new ArrayDeque<>();
  private long lastSlot = -1;
  private long pushedBefore;
  private long ackedBefore;
  private long deadLetteredBefore;

  /**
   * Adds a point when {@code nowMs} has entered a slot no point was taken in. The first call only sets where
   * the counters start, so a queue's first point covers a whole interval.
   */
  void sample(long nowMs, QueueMeters meters) {
    long slot = Math.floorDiv(nowMs, RESOLUTION_MS);
    if (slot <= lastSlot) {
      return;
    }
    long pushed = meters.pushed.sum();
    long acked = meters.acked.sum();
    long deadLettered = meters.deadLettered.sum();
    if (lastSlot >= 0) {
      if (points.size() == CAPACITY) {
        points.removeFirst();
      }
      points.addLast(new Point(slot * RESOLUTION_MS, meters.backlogMessages, meters.backlogBytes,
          meters.leasedMessages, pushed - pushedBefore, acked - ackedBefore, deadLettered - deadLetteredBefore));
    }
    lastSlot = slot;
    pushedBefore = pushed;
    ackedBefore = acked;
    deadLetteredBefore = deadLettered;
  }

  /** The points taken at or after {@code sinceMs}, oldest first. */
  List<Point> since(long sinceMs) {
    List<Point> recent = new ArrayList<>();
    for (Point point : points) {
      if (point.timestampMs() >= sinceMs) {
        recent.add(point);
      }
    }
    return recent;
  }
}

package io.ferry.messaging.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's numbers as {@code /metrics} shows them. The counters are added to on the engine thread where
 * the change becomes durable; the gauge values are a copy the engine refreshes ({@link EngineMeters#refresh}),
 * so a scrape on another thread never reads the engine's own state.
 */
final class QueueMeters {

  final String queueId;
  final LongAdder pushed = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder expired = new LongAdder();
  volatile long backlogMessages;
  volatile long backlogBytes;
  // 0 while the backlog is empty; the age itself is taken at scrape time, so it grows between refreshes.
  volatile long oldestTimestampMs;
  volatile long leasedMessages;
  volatile long delayedMessages;
  volatile long missedMessages;
  // The refresh that last found the queue in the engine's state; older ones are for deleted queues.
  long seenInRefresh;
  // Goes with the meters, so it survives resyncs and is dropped with the queue.
  final QueueHistory history = new QueueHistory();

  QueueMeters(String queueId) {
    this.queueId = queueId;
  }
}

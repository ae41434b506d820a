package io.ferry.messaging.core;

import static io.ferry.messaging.core.EngineHarness.ACCOUNT;
import static io.ferry.messaging.core.EngineHarness.await;
import static io.ferry.messaging.core.EngineHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A queue's history for graphs: a point per 10 s of the engine's clock, counters per interval, an hour kept. */
class QueueHistoryRulesTest {

  @RegisterExtension
  final EngineHarness harness = new EngineHarness();

  private List<QueueHistory.Point> history(QueueInfo queue, int minutes) {
    // Sampling runs on the engine's context; the read after it sees what it added.
    harness.engine().refreshMeters();
    return await(harness.engine().history(ACCOUNT, queue.id(), minutes));
  }

  @Test
  void aNewQueueHasNoPointsUntilAWholeIntervalPassed() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    assertEquals(List.of(), history(queue, 60));
    harness.clock.advance(QueueHistory.RESOLUTION_MS - 1 - harness.clock.nowMs() % QueueHistory.RESOLUTION_MS);
    assertEquals(List.of(), history(queue, 60), "still within the first interval");
  }

  @Test
  void pointsCarryGaugesAndWhatHappenedInTheirInterval() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    harness.pullConsumer(queue.id(), 3, null);
    history(queue, 60);
    harness.push(queue.id(), "a", "bb", "ccc");
    harness.clock.advance(QueueHistory.RESOLUTION_MS);
    List<QueueHistory.Point> first = history(queue, 60);
    assertEquals(1, first.size());
    QueueHistory.Point point = first.get(0);
    assertEquals(3, point.backlogCount());
    assertEquals(6, point.backlogBytes());
    assertEquals(0, point.leasedCount());
    assertEquals(3, point.pushed());
    assertEquals(0, point.acked());
    assertEquals(0, point.timestampMs() % QueueHistory.RESOLUTION_MS, "points sit on the 10 s grid");

    List<LeasedMessage> leased = harness.pull(queue.id(), 60_000);
    harness.ackPulled(queue.id(), List.of(leased.get(0).leaseId()), List.of());
    harness.clock.advance(QueueHistory.RESOLUTION_MS);
    List<QueueHistory.Point> two = history(queue, 60);
    assertEquals(2, two.size(), "oldest first");
    QueueHistory.Point second = two.get(1);
    assertEquals(point.timestampMs() + QueueHistory.RESOLUTION_MS, second.timestampMs());
    assertEquals(2, second.backlogCount());
    assertEquals(2, second.leasedCount());
    assertEquals(0, second.pushed(), "counters are per interval, not totals");
    assertEquals(1, second.acked());

    harness.clock.advance(2 * 60_000);
    assertEquals(3, history(queue, 60).size());
    assertEquals(1, history(queue, 1).size(), "minutes narrows to the recent points");
  }

  @Test
  void anHourIsKeptAndADeletedQueueHasNoHistory() {
    QueueInfo queue = harness.queue(QueueSettings.DEFAULTS);
    history(queue, 60);
    for (int i = 0; i < QueueHistory.CAPACITY + 5; i++) {
      harness.clock.advance(QueueHistory.RESOLUTION_MS);
      history(queue, 60);
    }
    List<QueueHistory.Point> kept = history(queue, 60);
    assertEquals(QueueHistory.CAPACITY, kept.size());
    assertEquals(harness.clock.nowMs() - harness.clock.nowMs() % QueueHistory.RESOLUTION_MS,
        kept.get(kept.size() - 1).timestampMs());

    await(harness.engine().deleteQueue(queue.id()));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(harness.engine().history(ACCOUNT, queue.id(), 60)).code());
    harness.upsert(queue);
    assertEquals(List.of(), history(queue, 60), "a queue created again starts without the old points");
  }
}

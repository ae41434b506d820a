package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.AttemptPage;
import io.ferry.admin.store.AttemptRecords;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Recording attempts never waits for the store: what arrives during a write goes into the next one. */
class AttemptHistoryTest {

  /** A store whose appends complete only when the test says so. */
  private static final class SlowRecords implements AttemptRecords {
    final List<List<WebhookAttempt>> appends = new ArrayList<>();
    final List<Integer> bounds = new ArrayList<>();
    final List<Promise<Void>> writes = new ArrayList<>();

    @Override
    public Future<Void> appendAttempts(List<WebhookAttempt> attempts, int keepPerListener) {
      appends.add(List.copyOf(attempts));
      bounds.add(keepPerListener);
      Promise<Void> write = Promise.promise();
      writes.add(write);
      return write.future();
    }

    @Override
    public Future<AttemptPage> listenerAttempts(String listenerId, String startAfterId, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<WebhookAttempt>> messageAttempts(String queueId, String messageId, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> deleteListenerAttempts(String listenerId) {
      throw new UnsupportedOperationException();
    }
  }

  private static WebhookAttempt attempt() {
    return new WebhookAttempt(Ids.newId(), Ids.newId(), Ids.newId(), Ids.newId(), 1, 1L, "2xx", 200, null, 1, null);
  }

  @Test
  void attemptsArrivingDuringAWriteAreWrittenTogetherByTheNext() {
    SlowRecords records = new SlowRecords();
    AttemptHistory history = new AttemptHistory(records, 7);
    WebhookAttempt a = attempt();
    WebhookAttempt b = attempt();
    WebhookAttempt c = attempt();
    history.record(List.of(a));
    history.record(List.of(b));
    history.record(List.of(c));
    assertEquals(List.of(List.of(a)), records.appends, "one write under way; the others wait for it");
    Future<Void> flushed = history.flush();
    assertFalse(flushed.isComplete());

    records.writes.get(0).fail("database hiccup");
    assertEquals(List.of(List.of(a), List.of(b, c)), records.appends);
    assertEquals(List.of(7, 7), records.bounds, "each write bounds the logs as configured");
    records.writes.get(1).complete();
    assertTrue(flushed.succeeded());
  }

  @Test
  void aStuckStoreCostsTheOldestAttemptsNotMemory() {
    SlowRecords records = new SlowRecords();
    AttemptHistory history = new AttemptHistory(records, 100);
    history.record(List.of(attempt()));
    List<WebhookAttempt> waiting = IntStream.range(0, AttemptHistory.MAX_PENDING + 5).mapToObj(i -> attempt())
        .toList();
    history.record(waiting);
    records.writes.get(0).complete();
    assertEquals(waiting.subList(5, waiting.size()), records.appends.get(1));
  }
}

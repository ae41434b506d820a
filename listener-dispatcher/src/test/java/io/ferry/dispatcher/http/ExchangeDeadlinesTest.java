package io.ferry.dispatcher.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One timer for many exchanges: each one that does not end times out once, at its own deadline, never before. */
class ExchangeDeadlinesTest {

  private static final long TIMEOUT_MS = 300;

  private final Vertx vertx = Vertx.vertx();
  private final ExchangeDeadlines deadlines = new ExchangeDeadlines(vertx, TIMEOUT_MS);
  private final List<String> timedOut = new CopyOnWriteArrayList<>();
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> timedOutAt = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ExchangeDeadlines.Deadline start(String name) {
    startedAt.put(name, System.nanoTime());
    return deadlines.start(() -> {
      timedOutAt.put(name, System.nanoTime());
      timedOut.add(name);
    });
  }

  private long waitedMs(String name) {
    return TimeUnit.NANOSECONDS.toMillis(timedOutAt.get(name) - startedAt.get(name));
  }

  @Test
  void anExchangeThatDoesNotEndTimesOutAtItsDeadlineAndOnce() {
    start("stuck");

    await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.size() == 1);
    assertTrue(waitedMs("stuck") >= TIMEOUT_MS, "timed out after " + waitedMs("stuck") + " ms");
    await().during(Duration.ofMillis(2 * TIMEOUT_MS)).atMost(Duration.ofSeconds(5))
        .until(() -> timedOut.equals(List.of("stuck")));
    assertEquals(0, deadlines.held());
  }

  @Test
  void exchangesThatEndNeverTimeOutAndAreLetGo() {
    for (int i = 0; i < 1_000; i++) {
      start("ended-" + i).end();
    }

    await().during(Duration.ofMillis(2 * TIMEOUT_MS)).atMost(Duration.ofSeconds(5)).until(timedOut::isEmpty);
    await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.held() == 0);
  }

  @Test
  void exchangesEndedBehindOneThatHangsAreSweptOutAsTheyPileUp() {
    start("hangs");
    for (int i = 0; i < 10_000; i++) {
      start("ended-" + i).end();
    }

    // Not 10,001: swept whenever the entries have doubled since the last sweep (from 1,024 on).
    assertTrue(deadlines.held() <= 2_048, deadlines.held() + " held");
    await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.equals(List.of("hangs")));
    assertEquals(0, deadlines.held());
  }

  @Test
  void onlyTheExchangesStillUnderWayTimeOutEachAtItsOwnDeadlineInTheOrderTheyStarted() {
    ExchangeDeadlines.Deadline first = start("first");
    start("stuck-1");
    // Later by a third of the timeout, so the two pairs' deadlines differ.
    await().pollDelay(Duration.ofMillis(TIMEOUT_MS / 3)).until(() -> true);
    ExchangeDeadlines.Deadline later = start("later");
    start("stuck-2");
    first.end();
    later.end();

    await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.size() == 2);
    assertEquals(List.of("stuck-1", "stuck-2"), timedOut);
    assertTrue(waitedMs("stuck-1") >= TIMEOUT_MS, "stuck-1 after " + waitedMs("stuck-1") + " ms");
    assertTrue(waitedMs("stuck-2") >= TIMEOUT_MS, "stuck-2 after " + waitedMs("stuck-2") + " ms");
    // None twice, none of the ended ones.
    await().during(Duration.ofMillis(TIMEOUT_MS)).atMost(Duration.ofSeconds(5))
        .until(() -> timedOut.equals(List.of("stuck-1", "stuck-2")));
    assertEquals(0, deadlines.held());
  }

  @Test
  void aDeadlineStartedAfterTheTimerWentIdleIsKept() {
    start("one");
    await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.size() == 1);

    start("two");

    await().atMost(Duration.ofSeconds(5)).until(() -> timedOut.size() == 2);
    assertTrue(waitedMs("two") >= TIMEOUT_MS, "two after " + waitedMs("two") + " ms");
  }
}

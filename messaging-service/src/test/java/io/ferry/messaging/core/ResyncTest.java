package io.ferry.messaging.core;

import static io.ferry.messaging.core.EngineHarness.ACCOUNT;
import static io.ferry.messaging.core.EngineHarness.await;
import static io.ferry.messaging.core.EngineHarness.body;
import static io.ferry.messaging.core.EngineHarness.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a commit whose outcome is unknown (it failed OUTCOME_UNKNOWN, but may have reached the store) the engine
 * answers UNAVAILABLE, reloads its state from the store once the store answers, and serves again with exactly
 * what is durable.
 */
class ResyncTest {

  @RegisterExtension
  final EngineHarness engine = new EngineHarness();

  QueueInfo queue;

  @BeforeEach
  void createQueue() {
    queue = engine.queue(QueueSettings.DEFAULTS);
    engine.pullConsumer(queue.id(), 3, null);
  }

  @Test
  void anAppendThatReachedTheStoreDespiteItsFailureIsThereOnceAfterResyncAndTheNextGetsAFreshSequence() {
    engine.push(queue.id(), "a");
    engine.faults().loseAnswers(1);
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure(publish("b")).code());
    awaitServing();

    List<StoredMessage> next = engine.push(queue.id(), "c");
    assertEquals(3, next.get(0).sequence(), "the sequence after the one the lost answer used");
    assertEquals(List.of("a", "b", "c"), engine.history(queue.id()).stream().map(EngineHarness::body).toList());
    assertEquals(List.of("a", "b", "c"), engine.pull(queue.id(), 1_000).stream()
        .map(leased -> body(leased.message())).toList());
  }

  @Test
  void amongConcurrentAppendsEveryAnsweredOneIsThereOnceAndTheOneInDoubtAtMostOnce() {
    engine.faults().loseAnswers(1);
    List<Future<?>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      appends.add(publish("m" + i));
    }
    await(Future.join(appends).otherwiseEmpty());
    awaitServing();

    Set<String> answered = new HashSet<>();
    for (int i = 0; i < appends.size(); i++) {
      if (appends.get(i).succeeded()) {
        answered.add("m" + i);
      } else {
        // The one in doubt; the others were refused while the engine reloaded.
        ErrorCode code = FerryException.from(appends.get(i).cause()).code();
        assertTrue(code == ErrorCode.OUTCOME_UNKNOWN || code == ErrorCode.UNAVAILABLE, code.toString());
      }
    }
    List<String> stored = engine.history(queue.id()).stream().map(EngineHarness::body).toList();
    assertEquals(stored.size(), new HashSet<>(stored).size(), "no message twice: " + stored);
    assertTrue(stored.containsAll(answered), "every answered append is stored: " + stored);
    assertTrue(stored.size() <= answered.size() + 1, "at most the one in doubt besides: " + stored);
    long last = engine.history(queue.id()).stream().mapToLong(StoredMessage::sequence).max().orElse(0);
    assertEquals(last + 1, engine.push(queue.id(), "next").get(0).sequence());
  }

  @Test
  void anAckThatReachedTheStoreDespiteItsFailureStaysAcked() {
    engine.push(queue.id(), "acked", "kept");
    List<LeasedMessage> leased = engine.pull(queue.id(), 60_000);
    engine.faults().loseAnswers(1);
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure(engine.engine().ackPulled(ACCOUNT, queue.id(),
        List.of(leased.get(0).leaseId()), List.of())).code());
    awaitServing();

    assertEquals(1, engine.backlog(queue.id()));
    // The lease of the other message was lost with the old state: it is available again at once.
    assertEquals(List.of("kept"), engine.pull(queue.id(), 1_000).stream()
        .map(message -> body(message.message())).toList());
  }

  @Test
  void whileTheStoreIsAwayEveryRequestAndParkedPollFailsUnavailableAndServiceResumesWhenItReturns() {
    engine.push(queue.id(), "durable");
    LeasedMessage leased = engine.pullOne(queue.id(), 60_000);
    Future<LeaseBatch> parked = engine.longPoll(queue.id(), 30_000);

    engine.faults().goDown();
    assertEquals(ErrorCode.UNAVAILABLE, failure(publish("lost")).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(parked).code());
    assertFalse(engine.engine().serving());
    assertEquals(ErrorCode.UNAVAILABLE, failure(engine.engine().metrics(ACCOUNT, queue.id())).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(engine.engine().ackPulled(ACCOUNT, queue.id(),
        List.of(leased.leaseId()), List.of())).code());

    engine.faults().comeBack();
    awaitServing();
    assertEquals(List.of("durable"), engine.history(queue.id()).stream().map(EngineHarness::body).toList());
    // Leases do not survive a resync, as they do not survive a restart: at least once.
    LeasedMessage again = engine.pullOne(queue.id(), 60_000);
    assertEquals(leased.message().id(), again.message().id());
    assertEquals(1, engine.ackPulled(queue.id(), List.of(again.leaseId()), List.of()).ackCount());
    assertEquals(0, engine.backlog(queue.id()));
  }

  @Test
  void theResynchronisedStateIsTheStateARestartRecovers() {
    engine.push(queue.id(), "one", "two", "three");
    List<LeasedMessage> leased = engine.pull(queue.id(), 60_000);
    engine.ackPulled(queue.id(), List.of(leased.get(0).leaseId()), List.of());
    engine.faults().loseAnswers(1);
    failure(publish("four"));
    awaitServing();
    QueueMetrics resynced = await(engine.engine().metrics(ACCOUNT, queue.id()));

    engine.restart();
    assertEquals(await(engine.engine().metrics(ACCOUNT, queue.id())), resynced);
    assertEquals(List.of("two", "three", "four"), engine.pull(queue.id(), 1_000).stream()
        .map(message -> body(message.message())).toList());
  }

  private Future<?> publish(String body) {
    return engine.engine().publish(Publication.toQueue(ACCOUNT, queue.id(),
        List.of(EngineHarness.text(body, null)), null));
  }

  private void awaitServing() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> engine.engine().serving());
  }
}

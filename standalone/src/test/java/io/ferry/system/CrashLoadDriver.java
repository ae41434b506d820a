package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Kills a standalone Ferry with kill -9 at random moments while producers push and consumers pull, ack, retry
 * and let leases expire; restarts it on the same data directory (or database) and port each time; then drains
 * the queue and judges what the clients saw ({@link CrashVerdict}). The short and the slow crash tests are two
 * plans for this driver; another {@link Disruption} takes Ferry's database away instead of killing Ferry.
 */
final class CrashLoadDriver {

  /**
   * How hard and how long to push.
   *
   * @param pushBatch messages per batch push
   * @param singleEvery one push request in this many is a single-message push (0: never)
   * @param minPushedOk keep going (and killing) until at least this many messages were pushed with a 200
   * @param lateAckEvery one pulled batch in this many is acked only after its visibility timeout
   * @param maxOutstanding producers pause while this many pushed messages are not acked yet
   */
  record Plan(String name, int producers, int consumers, int pushBatch, int singleEvery, int pullBatch,
      int visibilityMs, int lateAckEvery, int kills, long minPushedOk, Duration minUptime, Duration maxUptime,
      int maxOutstanding, Duration deadline) {
  }

  /**
   * One disruption of the service under load; returns once Ferry serves again. It calls
   * {@link MessageLedger#killed()} once the leases Ferry held are gone: that is what the plan's kills count.
   */
  interface Disruption {
    void disrupt(CrashLoadDriver driver) throws Exception;
  }

  static final Disruption KILL_AND_RESTART = CrashLoadDriver::killAndRestart;
  static final String KEY = "fry_crash-test-key-0123456789abcdef0123";
  private static final Duration START = Duration.ofSeconds(60);

  private final Plan plan;
  private final Path workDir;
  private final Map<String, String> env;
  private final Disruption disruption;
  private final int port = Ports.free();
  private final MessageLedger ledger = new MessageLedger();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final List<Long> readyMs = new ArrayList<>();
  private final AtomicLong consumerPulls = new AtomicLong();
  private final Queue<Throwable> clientFailures = new ConcurrentLinkedQueue<>();
  private FerryProcess ferry;
  private String jar;
  private int incarnation;

  CrashLoadDriver(Plan plan, Path workDir) {
    this(plan, workDir, Map.of(), KILL_AND_RESTART);
  }

  /** With {@code env} added to Ferry's environment (its storage, say) and {@code disruption} at each kill. */
  CrashLoadDriver(Plan plan, Path workDir, Map<String, String> env, Disruption disruption) {
    this.plan = plan;
    this.workDir = workDir;
    this.env = Map.copyOf(env);
    this.disruption = disruption;
  }

  /** Runs the plan, prints the summary line and asserts the verdict is clean. */
  CrashVerdict run() throws Exception {
    long began = System.nanoTime();
    long deadline = began + plan.deadline().toNanos();
    jar = PinnedJar.pin("ferry.standalone.jar", workDir.resolve("jar"));
    start();
    try {
      QueueClient queue = QueueClient.createQueue(ferry.baseUrl(), KEY, plan.name(), 100);
      List<Thread> producers = startAll("producer", plan.producers(),
          p -> new CrashProducer(queue, ledger, p + 1, plan, producing).run());
      List<Thread> consumers = startAll("consumer", plan.consumers(),
          c -> new CrashConsumer(queue, ledger, plan, consuming, consumerPulls).run());
      while (ledger.kills() < plan.kills() || ledger.pushedOk.get() < plan.minPushedOk()) {
        assertTrue(System.nanoTime() < deadline, () -> "deadline passed: " + progress());
        assertTrue(clientFailures.isEmpty(), () -> "a client thread failed: " + clientFailures.peek());
        long uptime = ThreadLocalRandom.current().nextLong(plan.minUptime().toMillis(),
            plan.maxUptime().toMillis() + 1);
        Thread.sleep(uptime);
        disruption.disrupt(this);
        System.out.println(plan.name() + " disruption " + ledger.kills() + " after " + uptime + " ms: "
            + progress());
      }
      producing.set(false);
      joinAll(producers);
      // Let the consumers catch up a little, so the drain sees the normal case and not the whole backlog.
      try {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
            .until(() -> ledger.outstanding() == 0);
      } catch (ConditionTimeoutException stillBehind) {
        // the drain takes the rest
      }
      consuming.set(false);
      joinAll(consumers);
      clientFailures.forEach(Throwable::printStackTrace);
      assertTrue(clientFailures.isEmpty(), () -> "a client thread failed: " + clientFailures.peek());
      long drainedFirst = drain(queue);
      // Acks must be durable too: after one more kill -9 nothing acked may come back.
      ferry.kill();
      start();
      long drainedAfterFinalKill = drain(queue);
      CrashVerdict verdict = CrashVerdict.judge(ledger);
      print(verdict, drainedFirst, drainedAfterFinalKill, (System.nanoTime() - began) / 1_000_000_000L);
      assertTrue(verdict.clean(), () -> "crash verdict not clean:\n  " + String.join("\n  ", verdict.examples)
          + "\nlast process output:\n" + tail(ferry.output()));
      assertEquals(0, ledger.ackCountMismatches.get(), "ackCount disagreed with the leases named in warnings");
      assertEquals(0, drainedAfterFinalKill, "messages came back after the drain's acks and a kill -9");
      return verdict;
    } finally {
      producing.set(false);
      consuming.set(false);
      ferry.close();
    }
  }

  /** kill -9 of Ferry, then a start on the same data and port. */
  void killAndRestart() throws Exception {
    ferry.kill();
    ledger.killed();
    start();
  }

  FerryProcess ferry() {
    return ferry;
  }

  MessageLedger ledger() {
    return ledger;
  }

  private void start() throws Exception {
    incarnation++;
    long t0 = System.nanoTime();
    Map<String, String> processEnv = new HashMap<>(env);
    processEnv.put("FERRY_AUTH_BOOTSTRAP_KEY", KEY);
    ferry = FerryProcess.start("ferry-" + incarnation, jar, workDir, port, processEnv);
    ferry.awaitReady(START);
    if (incarnation > 1) {
      readyMs.add((System.nanoTime() - t0) / 1_000_000);
    }
  }

  private long drain(QueueClient queue) throws Exception {
    return QueueDrain.drain(queue, ledger, plan.visibilityMs());
  }

  private void print(CrashVerdict v, long drained, long afterFinalKill, long seconds) {
    List<Long> ready = new ArrayList<>(readyMs);
    ready.sort(null);
    String headline = String.format("%s: pushes acknowledged=%d (%d requests), acks acknowledged=%d, kills=%d,"
            + " lost=%d, redelivered-after-ack=%d, duplicates=%d", plan.name(), v.pushedOk,
        ledger.pushRequestsOk.get(), ledger.acksConfirmed.get(), ledger.kills(), v.lost, v.redeliveredAfterAck,
        v.duplicates);
    String duplicates = String.format(" (retried %d, left to expire %d, in flight at a kill %d, lease expired %d,"
            + " unexplained %d)", v.duplicatesRetried, v.duplicatesLeftToExpire, v.duplicatesCrash,
        v.duplicatesExpired, v.duplicatesUnexplained);
    String details = String.format(" | stale-acks-accepted=%d, phantoms=%d, drained=%d, after final kill=%d,"
            + " in-doubt pushes=%d unanswered + %d answered 504 (%d messages seen), refused connections=%d,"
            + " in-doubt acks=%d (%d messages resolved only by one), refused acks=%d, retries=%d,"
            + " error statuses=%s, restart-to-ready ms median=%d max=%d, %d s", v.staleAcksAccepted, v.phantoms,
        drained, afterFinalKill, ledger.pushRequestsInDoubt.get(), ledger.pushRequestsAnsweredInDoubt.get(),
        v.inDoubtPushesSeen, ledger.pushRequestsNotSent.get(), ledger.acksInDoubt.get(), v.resolvedOnlyByInDoubtAck,
        ledger.acksRefused.get(), ledger.retriesConfirmed.get(), ledger.errorStatuses,
        ready.isEmpty() ? 0 : ready.get(ready.size() / 2), ready.isEmpty() ? 0 : ready.get(ready.size() - 1),
        seconds);
    System.out.println(headline + duplicates + details);
  }


  private String progress() {
    return "pushed " + ledger.pushedOk.get() + ", acked " + ledger.acksConfirmed.get() + ", outstanding "
        + ledger.outstanding() + ", pulls " + consumerPulls.get();
  }

  private static String tail(String output) {
    return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
  }

  interface Worker {
    void run(int index) throws Exception;
  }

  private List<Thread> startAll(String role, int count, Worker worker) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      Thread thread = new Thread(() -> {
        try {
          worker.run(index);
        } catch (Throwable e) {
          clientFailures.add(new IllegalStateException(role + " " + index + " failed", e));
        }
      }, role + "-" + i);
      thread.start();
      threads.add(thread);
    }
    return threads;
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(60).toMillis());
      assertTrue(!thread.isAlive(), thread.getName() + " did not stop");
    }
  }
}

package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Mixed load on a {@link FailoverCluster}: per queue one producer of batch pushes and one pull+ack consumer
 * ({@link CrashProducer}, {@link CrashConsumer}, recording into one {@link MessageLedger}), each queue's
 * clients starting on a different messaging instance; the webhook listener of the first queue; and a
 * {@link SonyaStream} through the gateways. At the end it drains every queue and judges what the clients saw.
 */
final class FailoverLoad implements AutoCloseable {

  /** What the clients do; only the push, pull and back-pressure fields matter here (no kill loop). */
  static final CrashLoadDriver.Plan PLAN = new CrashLoadDriver.Plan("failover", 1, 1, 10, 0, 20, 2_000, 40, 0, 0,
      Duration.ZERO, Duration.ZERO, 2_000, Duration.ZERO);
  // Each load on a cluster numbers its producers apart (the receiver keeps every delivery of the cluster's
  // life), and its probes apart from its producers.
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final int PRODUCERS_PER_LOAD = 100;
  private static final int PROBE_PRODUCER = 50;
  private static final Duration PROBE_REQUEST_PAUSE = Duration.ofMillis(50);

  final MessageLedger ledger = new MessageLedger();
  private final FailoverCluster cluster;
  private final SonyaStream sonya;
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final AtomicLong pulls = new AtomicLong();
  private final AtomicLong probes = new AtomicLong();
  private final List<Thread> producers = new ArrayList<>();
  private final List<Thread> consumers = new ArrayList<>();
  private final Queue<Throwable> clientFailures = new ConcurrentLinkedQueue<>();
  private final List<Long> disruptionsNs = new CopyOnWriteArrayList<>();
  private final int firstProducer = LOADS.incrementAndGet() * PRODUCERS_PER_LOAD;

  FailoverLoad(FailoverCluster cluster) {
    this.cluster = cluster;
    this.sonya = new SonyaStream(FailoverCluster.KEY, FailoverCluster.SONYA_QUEUE, cluster.messagingBases(),
        cluster.gatewayBases());
  }

  FailoverLoad start() throws Exception {
    for (int q = 0; q < cluster.queues.size(); q++) {
      QueueClient queue = cluster.queues.get(q);
      int producer = firstProducer + q + 1;
      producers.add(thread("producer-" + q, () -> new CrashProducer(queue, ledger, producer, PLAN, producing).run()));
      consumers.add(thread("consumer-" + q, () -> new CrashConsumer(queue, ledger, PLAN, consuming, pulls).run()));
    }
    sonya.start();
    return this;
  }

  /** Waits until {@code acks} more messages were acked than when it was called: the load is flowing. */
  void awaitProgress(long acks, Duration atMost) {
    long from = ledger.acksConfirmed.get();
    Awaitility.await(acks + " more acks (" + progress() + ")").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          assertTrue(clientFailures.isEmpty(), () -> "a client thread failed: " + clientFailures.peek());
          return ledger.acksConfirmed.get() >= from + acks;
        });
  }

  /** A messaging instance went away (kill -9, SIGSTOP): the leases it held are in flight from now on. */
  void disrupted() {
    disruptionsNs.add(System.nanoTime());
    ledger.killed();
  }

  /** Requests of every client that did not succeed so far (error statuses, refused, unanswered). */
  long failedRequests() {
    return ledger.failedRequests() + sonya.failedSends();
  }

  /** Every client back on the instance it started on. */
  void returnHome() {
    cluster.queues.forEach(QueueClient::returnHome);
  }

  /** Every client off {@code baseUrl}, as a load balancer takes an instance out of rotation before it stops. */
  void avoid(String baseUrl) {
    cluster.queues.forEach(queue -> queue.avoid(baseUrl));
    sonya.avoid(baseUrl);
  }

  /**
   * Pushes one message to each queue through {@code bases} until each push is answered 200; returns, per queue,
   * the milliseconds from {@code sinceNs} to that answer.
   */
  long[] probeEveryQueue(List<String> bases, long sinceNs, Duration atMost) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(cluster.queues.size());
    try {
      List<Future<Long>> served = new ArrayList<>();
      for (int q = 0; q < cluster.queues.size(); q++) {
        QueueClient queue = cluster.queues.get(q).across(bases, q);
        int producer = firstProducer + PROBE_PRODUCER + q + 1;
        served.add(pool.submit(() -> probe(queue, producer, sinceNs, atMost)));
      }
      long[] ms = new long[served.size()];
      for (int q = 0; q < ms.length; q++) {
        ms[q] = served.get(q).get();
      }
      return ms;
    } finally {
      pool.shutdownNow();
    }
  }

  private long probe(QueueClient queue, int producer, long sinceNs, Duration atMost) throws Exception {
    long deadline = sinceNs + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      List<Long> key = List.of(QueueClient.key(producer, probes.incrementAndGet()));
      ledger.sending(key, System.nanoTime());
      try {
        int status = queue.push(key.get(0));
        long answered = System.nanoTime();
        ledger.pushAnswered(key, status, answered);
        if (status == 200) {
          return (answered - sinceNs) / 1_000_000;
        }
      } catch (IOException e) {
        if (QueueClient.neverSent(e)) {
          ledger.pushNotSent(key);
        } else {
          ledger.pushInDoubt();
        }
      }
      Thread.sleep(PROBE_REQUEST_PAUSE.toMillis());
    }
    return Long.MAX_VALUE;
  }

  /**
   * Stops the clients, drains every queue, waits for the webhook and WebSocket streams to catch up and judges
   * it all.
   */
  Outcome finish() throws Exception {
    producing.set(false);
    join(producers);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> ledger.outstanding() <= 0);
    } catch (ConditionTimeoutException stillBehind) {
      // the drain takes the rest
    }
    consuming.set(false);
    join(consumers);
    clientFailures.forEach(Throwable::printStackTrace);
    assertTrue(clientFailures.isEmpty(), () -> "a client thread failed: " + clientFailures.peek());
    long drained = drainAll();
    sonya.finish(Duration.ofSeconds(30));
    List<String> webhook = webhookProblems(Duration.ofSeconds(30));
    return new Outcome(CrashVerdict.judge(ledger), drained, sonya.problems(), webhook,
        sonya.summary() + ", " + webhookSummary());
  }

  /** The verdict on the pull consumers, and what is wrong with the WebSocket streams and the webhook. */
  record Outcome(CrashVerdict verdict, long drained, List<String> streamProblems, List<String> webhookProblems,
      String summary) {
  }

  private long drainAll() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(cluster.queues.size());
    try {
      List<Future<Long>> drains = new ArrayList<>();
      for (QueueClient queue : cluster.queues) {
        drains.add(pool.submit(() -> QueueDrain.drain(queue, ledger, PLAN.visibilityMs())));
      }
      long drained = 0;
      for (Future<Long> drain : drains) {
        drained += drain.get();
      }
      return drained;
    } finally {
      pool.shutdownNow();
    }
  }

  // Every message pushed with a 200 to the first queue reaches the listener; a message delivered twice was
  // first delivered before a disruption (its ack to messaging may have died with the instance).
  private List<String> webhookProblems(Duration atMost) {
    Set<Long> expected = new HashSet<>();
    for (MessageLedger.Entry entry : ledger.entries()) {
      int producer = QueueClient.producerOf(entry.key);
      synchronized (entry) {
        if (entry.push == MessageLedger.Push.OK
            && (producer == firstProducer + 1 || producer == firstProducer + PROBE_PRODUCER + 1)) {
          expected.add(entry.key);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    try {
      Awaitility.await("every acknowledged push to the first queue delivered to its listener").atMost(atMost)
          .pollInterval(Duration.ofMillis(200)).until(() -> deliveredKeys().keySet().containsAll(expected));
    } catch (ConditionTimeoutException missing) {
      Set<Long> lost = new HashSet<>(expected);
      lost.removeAll(deliveredKeys().keySet());
      problems.add(lost.size() + " acknowledged pushes never delivered to the listener, e.g. "
          + lost.stream().limit(5).map(QueueClient::describe).toList());
    }
    deliveredKeys().forEach((key, times) -> {
      times.sort(Comparator.naturalOrder());
      for (int i = 1; i < times.size(); i++) {
        long first = times.get(i - 1);
        long again = times.get(i);
        boolean disruptedBetween = disruptionsNs.stream().anyMatch(d -> d > first - 1_000_000_000L && d < again);
        if (!disruptedBetween) {
          problems.add("delivered again without a disruption in between: " + QueueClient.describe(key));
        }
      }
    });
    return problems;
  }

  private Map<Long, List<Long>> deliveredKeys() {
    Map<Long, List<Long>> delivered = new HashMap<>();
    for (ScriptedReceiver.Delivery delivery : cluster.receiver.deliveries(FailoverCluster.HOOK)) {
      JsonObject data = delivery.json().getJsonObject("data");
      int producer = data.getInteger("p");
      if (producer > firstProducer && producer <= firstProducer + PRODUCERS_PER_LOAD) {
        delivered.computeIfAbsent(QueueClient.key(producer, data.getLong("n")), k -> new ArrayList<>())
            .add(delivery.atNanos());
      }
    }
    return delivered;
  }

  private String webhookSummary() {
    Map<Long, List<Long>> delivered = deliveredKeys();
    long deliveries = delivered.values().stream().mapToLong(List::size).sum();
    return "webhook: " + delivered.size() + " messages delivered, " + (deliveries - delivered.size())
        + " again" + againTiming(delivered);
  }

  // When the messages delivered again were delivered, against the kill: in flight at it, their second delivery
  // comes once the shard serves again; a settlement lost later shows as a second delivery a lease after.
  private String againTiming(Map<Long, List<Long>> delivered) {
    if (disruptionsNs.isEmpty()) {
      return "";
    }
    long kill = disruptionsNs.get(0);
    LongSummaryStatistics first = new LongSummaryStatistics();
    LongSummaryStatistics again = new LongSummaryStatistics();
    delivered.values().stream().filter(times -> times.size() > 1).forEach(times -> {
      times.sort(Comparator.naturalOrder());
      first.accept((times.get(0) - kill) / 1_000_000);
      again.accept((times.get(1) - kill) / 1_000_000);
    });
    return first.getCount() == 0 ? "" : " (first " + first.getMin() + ".." + first.getMax() + " ms, again "
        + again.getMin() + ".." + again.getMax() + " ms after the kill)";
  }

  String progress() {
    return "pushed " + ledger.pushedOk.get() + ", acked " + ledger.acksConfirmed.get() + ", outstanding "
        + ledger.outstanding() + ", pulls " + pulls.get() + ", failed requests " + failedRequests()
        + " (" + ledger.failedRequestsByKind() + ", sonya sends " + sonya.failedSends() + ")";
  }

  interface ClientLoop {
    void run() throws Exception;
  }

  private Thread thread(String name, ClientLoop loop) {
    Thread thread = new Thread(() -> {
      try {
        loop.run();
      } catch (Throwable e) {
        clientFailures.add(new IllegalStateException(name + " failed", e));
      }
    }, name);
    thread.start();
    return thread;
  }

  private static void join(List<Thread> threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(60).toMillis());
      assertTrue(!thread.isAlive(), thread.getName() + " did not stop");
    }
  }

  @Override
  public void close() {
    producing.set(false);
    consuming.set(false);
    sonya.close();
  }
}

package io.ferry.bench;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --cluster}: the batch push and pull + ack scenarios through the proxy of a cluster started by
 * {@code deploy/local/cluster}, with 1 and then 3 messaging instances; with 3 also the cost of a request
 * that messaging forwards to the shard's owner against one it serves itself, and the time from killing a
 * shard's owner to the first push to that shard that succeeds again.
 */
final class ClusterBench {

  static final String MESSAGING_CPU = "messaging";
  static final String PROXY_CPU = "proxy";
  static final List<Integer> MESSAGING_COUNTS = List.of(1, 3);
  // Queues per side of the forwarded-vs-local rows: enough that pushes spread over several shards.
  private static final int QUEUES_PER_SIDE = 4;
  private static final int MOST_QUEUES = 64;
  private static final String DIRECT = "messaging-1";
  private static final Duration BALANCED = Duration.ofSeconds(120);
  private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(120);
  private static final Duration ATTEMPT = Duration.ofSeconds(30);
  private static final long RETRY_PAUSE_MS = 50;
  private static final Buffer PUSH = Payloads.batch(10);
  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final Duration IDLE_QUICK = Duration.ofSeconds(3);

  private final BenchContext context;
  private final BenchOptions options;
  private LocalCluster current;
  private boolean stopped;

  ClusterBench(BenchContext context) {
    this.context = context;
    this.options = context.options();
  }

  /** Everything {@code --cluster} measured, for {@link ClusterReport}. */
  record Results(List<Setup> setups, LocalVsForwarded localVsForwarded, Failover failover) {
  }

  /**
   * The scenario rows with this many messaging instances; {@code idleCpu}: CPU seconds per second each process
   * group used with no load, right after the warm-up (by {@link CpuSampler} name).
   */
  record Setup(int messaging, List<ScenarioResult> rows, Map<String, Double> idleCpu) {
  }

  /** Pushes straight to one messaging instance, for queues it owns and for queues others own; null rows: not run. */
  record LocalVsForwarded(String instance, List<ScenarioResult> local, List<ScenarioResult> forwarded,
      String failure) {
  }

  /** One kill: which instance, the shard it owned, seconds to the first successful push, errors until then. */
  record Kill(String instance, int shard, double seconds, ErrorTally errors) {
  }

  record Failover(long leaseMs, List<Kill> kills, String failure) {
  }

  /**
   * For the shutdown hook (and the end of the run): the cluster running now, if any, is stopped, and no other
   * one starts, since the main thread carries on while the hook runs.
   */
  synchronized void stopCluster() {
    stopped = true;
    if (current != null) {
      current.close();
    }
  }

  private synchronized LocalCluster begin(int messaging, Map<String, String> env) throws Exception {
    if (stopped) {
      throw new IllegalStateException("the bench is stopping: no cluster with " + messaging + " messaging instances");
    }
    current = LocalCluster.create(messaging, env);
    return current;
  }

  private synchronized void end() {
    current = null;
  }

  Results run() throws Exception {
    List<Setup> setups = new ArrayList<>();
    LocalVsForwarded localVsForwarded = null;
    Failover failover = null;
    Map<String, String> env = Map.of("FERRY_MESSAGING_SHARD_LEASE_MS", Long.toString(options.leaseMs()));
    for (int messaging : MESSAGING_COUNTS) {
      System.err.printf("starting a cluster with %d messaging instance(s) (deploy/local/cluster)%n", messaging);
      try (LocalCluster cluster = begin(messaging, env)) {
        cluster.start();
        watch(cluster);
        context.attachFerry(FerryUnderTest.attach(context.agent(), cluster.proxy()));
        try {
          Map<String, Double> idle = idleCpu();
          ScenarioRunner runner = new ScenarioRunner(context);
          List<ScenarioResult> rows = new ArrayList<>();
          if (options.clusterRuns("batch-push")) {
            rows.addAll(runner.run(PushScenario.batch(), options.clusterClients()));
          }
          if (options.clusterRuns("pull-ack")) {
            rows.addAll(runner.run(new PullAckScenario(), options.clusterClients()));
          }
          setups.add(new Setup(messaging, rows, idle));
          if (messaging > 1 && (options.clusterRuns("forwarded") || options.clusterRuns("failover"))) {
            List<String> queues = createQueues();
            if (options.clusterRuns("forwarded")) {
              localVsForwarded = localVsForwarded(cluster, queues);
            }
            if (options.clusterRuns("failover")) {
              failover = failover(cluster, queues);
            }
          }
        } finally {
          context.detachFerry();
          unwatch();
          end();
        }
      }
    }
    return new Results(setups, localVsForwarded, failover);
  }

  private static void watch(LocalCluster cluster) throws Exception {
    Map<String, ProcessHandle> services = cluster.services();
    CpuSampler.watch(BenchContext.FERRY_CPU, List.copyOf(services.values()));
    CpuSampler.watch(MESSAGING_CPU, services.entrySet().stream().filter(e -> e.getKey().startsWith("messaging-"))
        .map(Map.Entry::getValue).toList());
    cluster.postgres().ifPresent(pg -> CpuSampler.watch(BenchContext.POSTGRES_CPU, pg));
    cluster.proxyProcess().ifPresent(nginx -> CpuSampler.watch(PROXY_CPU, nginx));
  }

  /** What the cluster burns with no load (lease renewals, heartbeats, sweeps, Hazelcast, GC), per second. */
  private Map<String, Double> idleCpu() throws InterruptedException {
    Duration window = options.quick() ? IDLE_QUICK : IDLE;
    CpuSampler.Sample before = CpuSampler.take();
    Thread.sleep(window.toMillis());
    Map<String, Double> perSecond = new TreeMap<>();
    CpuSampler.watchedSeconds(before, CpuSampler.take())
        .forEach((name, seconds) -> perSecond.put(name, seconds / window.toSeconds()));
    System.err.println("idle CPU (s per s): " + perSecond);
    return perSecond;
  }

  private static void unwatch() {
    for (String name : List.of(BenchContext.FERRY_CPU, MESSAGING_CPU, BenchContext.POSTGRES_CPU, PROXY_CPU)) {
      CpuSampler.unwatch(name);
    }
  }

  /** Queues with a pull consumer, as the other rows push into; kept until the cluster stops. */
  private List<String> createQueues() throws Exception {
    FerryUnderTest ferry = context.ferry();
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < 3 * QUEUES_PER_SIDE * 2; i++) {
      queues.add(createQueue(ferry, i));
    }
    return queues;
  }

  private static String createQueue(FerryUnderTest ferry, int i) throws Exception {
    String queue = ferry.createQueue("bench-cluster-" + i + "-" + System.nanoTime());
    ferry.addPullConsumer(queue, 10);
    return queue;
  }

  private LocalVsForwarded localVsForwarded(LocalCluster cluster, List<String> queues) {
    try {
      int shards = cluster.shards(context.vertx());
      Map<Integer, String> owners = awaitBalanced(cluster);
      List<String> local = new ArrayList<>();
      List<String> forwarded = new ArrayList<>();
      FerryUnderTest ferry = context.ferry();
      for (int i = 0; local.size() < QUEUES_PER_SIDE || forwarded.size() < QUEUES_PER_SIDE; i++) {
        if (i == queues.size()) {
          if (queues.size() >= MOST_QUEUES) {
            throw new IllegalStateException("no " + QUEUES_PER_SIDE + " queues each on and off " + DIRECT
                + " among " + queues.size() + "; owners: " + LocalCluster.perInstance(owners));
          }
          queues.add(createQueue(ferry, i));
        }
        String queue = queues.get(i);
        String owner = owners.get(LocalCluster.shardOf(queueId(queue), shards));
        List<String> side = DIRECT.equals(owner) ? local : forwarded;
        if (side.size() < QUEUES_PER_SIDE) {
          side.add(queue);
        }
      }
      Endpoint direct = cluster.messaging(1);
      ScenarioRunner runner = new ScenarioRunner(context);
      RoundScenario localPush = PushScenario.batchOnQueues("push-local", "batch push straight to " + DIRECT
          + ", queues it owns", direct, local);
      RoundScenario forwardedPush = PushScenario.batchOnQueues("push-forwarded", "batch push straight to "
          + DIRECT + ", queues others own (forwarded)", direct, forwarded);
      List<ScenarioResult> localRows = new ArrayList<>();
      List<ScenarioResult> forwardedRows = new ArrayList<>();
      for (int clients : options.clusterClients()) {
        // In turn: on a shared machine, one row run after the other would compare two different moments' load.
        List<ScenarioResult> rows = runner.runInTurn(List.of(localPush, forwardedPush), clients);
        localRows.add(rows.get(0));
        forwardedRows.add(rows.get(1));
      }
      return new LocalVsForwarded(DIRECT, localRows, forwardedRows, null);
    } catch (Exception e) {
      context.problem("forwarded vs local: " + ErrorTally.describe(e));
      return new LocalVsForwarded(DIRECT, List.of(), List.of(), ErrorTally.describe(e));
    }
  }

  private Failover failover(LocalCluster cluster, List<String> queues) {
    List<Kill> kills = new ArrayList<>();
    try {
      int shards = cluster.shards(context.vertx());
      for (int round = 0; round < options.failovers(); round++) {
        String victim = "messaging-" + (round % cluster.messagingCount() + 1);
        Map<Integer, String> owners = awaitBalanced(cluster);
        String queue = null;
        int shard = -1;
        for (String candidate : queues) {
          int candidateShard = LocalCluster.shardOf(queueId(candidate), shards);
          if (victim.equals(owners.get(candidateShard))) {
            queue = candidate;
            shard = candidateShard;
            break;
          }
        }
        if (queue == null) {
          throw new IllegalStateException("none of " + queues.size() + " queues is on " + victim);
        }
        kills.add(killAndPush(cluster, victim, queue, shard));
        System.err.printf("  failover %d: %s killed, push to shard %d succeeded after %.1f s%n", round + 1,
            victim, shard, kills.get(kills.size() - 1).seconds());
        cluster.restartStopped();
        watch(cluster);
      }
      return new Failover(options.leaseMs(), kills, null);
    } catch (Exception e) {
      context.problem("failover: " + ErrorTally.describe(e));
      return new Failover(options.leaseMs(), kills, ErrorTally.describe(e));
    }
  }

  /** SIGKILL the owner, then push to the queue through the proxy, one request at a time, until one succeeds. */
  private Kill killAndPush(LocalCluster cluster, String victim, String queue, int shard) throws Exception {
    String path = queue + "/messages/batch";
    ClientConnection client = Await.result(ClientConnection.open(context.agent(), cluster.proxy()), ATTEMPT);
    ErrorTally errors = new ErrorTally();
    try {
      Await.result(client.post(path, PUSH), ATTEMPT);
      long killed = System.nanoTime();
      cluster.kill(victim);
      long limit = killed + FAILOVER_LIMIT.toNanos();
      while (System.nanoTime() < limit) {
        try {
          Await.result(client.post(path, PUSH), ATTEMPT);
          return new Kill(victim, shard, (System.nanoTime() - killed) / 1e9, errors);
        } catch (Exception e) {
          errors.record(e);
          Thread.sleep(RETRY_PAUSE_MS);
        }
      }
      throw new IllegalStateException("no push to shard " + shard + " succeeded within " + FAILOVER_LIMIT.toSeconds()
          + " s of killing " + victim + "; errors: " + errors.kinds());
    } finally {
      client.close();
    }
  }

  /** Waits until every shard has a live lease and every messaging instance holds some. */
  private Map<Integer, String> awaitBalanced(LocalCluster cluster) throws Exception {
    int shards = cluster.shards(context.vertx());
    long deadline = System.nanoTime() + BALANCED.toNanos();
    Map<Integer, String> owners;
    while (true) {
      owners = cluster.owners(context.vertx());
      Map<String, Integer> counts = LocalCluster.perInstance(owners);
      int fairShare = shards / cluster.messagingCount();
      if (owners.size() == shards && counts.size() == cluster.messagingCount()
          && counts.values().stream().allMatch(n -> n >= fairShare - 1)) {
        return owners;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("shards not balanced after " + BALANCED.toSeconds() + " s: " + counts
            + ", " + owners.size() + " of " + shards + " leased");
      }
      Thread.sleep(500);
    }
  }

  private static String queueId(String queuePath) {
    return queuePath.substring(queuePath.lastIndexOf('/') + 1);
  }
}

package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push → webhook: {@code clients} discue listeners on one queue, each pointing at a local receiver (in the
 * bench's JVM) that answers 200 at once; every run pushes a burst of messages (batches of 100 through
 * {@link #PUSHERS} connections) and waits for every listener to have every one. Throughput is deliveries per
 * second from the first push to the last delivery; latency is from just before a message's push to the
 * receiver having it, so it includes the time a message waits behind the rest of the burst.
 */
final class WebhookDeliveryScenario implements SelfTimedScenario {

  static final int MESSAGES_PER_RUN = 10_000;
  private static final int WARM_UP_MESSAGES = 3_000;
  private static final Duration MIN_WARM_UP = Duration.ofSeconds(10);
  private static final Duration MAX_WARM_UP = Duration.ofSeconds(60);
  private static final int BATCH = 100;
  private static final int PUSHERS = 4;
  private static final Duration DELIVERED = Duration.ofSeconds(120);
  private static final Duration CALL = Duration.ofSeconds(60);

  @Override
  public String id() {
    return "webhook-delivery";
  }

  @Override
  public String title() {
    return "webhook delivery " + MESSAGES_PER_RUN / 1000 + "k burst";
  }

  @Override
  public String unit() {
    return "deliveries/s";
  }

  /** Listeners on the queue. */
  @Override
  public List<Integer> clientCounts() {
    return List.of(1, 4);
  }

  @Override
  public Target target(int listeners) {
    return listeners == 1
        ? Target.atLeast(15_000, "≥ 15,000 deliveries/s to one listener (local 2xx receiver, keep-alive)")
        : Target.atLeast(30_000, "≥ 30,000 deliveries/s over 4 listeners (local 2xx receiver, keep-alive)");
  }

  @Override
  public ScenarioResult measure(BenchContext context, int listeners, ErrorTally errors, List<String> notes)
      throws Exception {
    FerryUnderTest ferry = context.ferry();
    Receiver receiver = Receiver.start(context.vertx());
    String queuePath = ferry.createQueue("bench-webhooks-" + listeners + "-" + System.nanoTime());
    String queueId = queuePath.substring(queuePath.lastIndexOf('/') + 1);
    List<ClientConnection> pushers = new ArrayList<>();
    try {
      for (int i = 0; i < PUSHERS; i++) {
        pushers.add(Await.result(ClientConnection.open(context.agent(), ferry.endpoint()), CALL));
      }
      for (int i = 0; i < listeners; i++) {
        JsonObject listener = new JsonObject().put("name", "bench-" + i)
            .put("notify_url", receiver.url("/hook/" + i)).put("liveness_url", receiver.url("/live"));
        Await.result(pushers.get(0).post("/v1/queues/" + queueId + "/listeners", listener.toBuffer()), CALL);
      }
      String batchPath = queuePath + "/messages/batch";
      // The delivery path is not in Ferry's mixed warm-up: give its JIT some bursts whatever --warmup says.
      Duration warmUp = context.options().warmup().compareTo(MIN_WARM_UP) < 0 ? MIN_WARM_UP
          : context.options().warmup();
      System.err.printf("  %d listener(s); warming up for at least %d s with bursts of %,d messages%n", listeners,
          warmUp.toSeconds(), WARM_UP_MESSAGES);
      WarmUp warm = warmUp(pushers, batchPath, receiver, listeners, warmUp, errors);
      System.err.printf("  warmed up for %d s%s%n", warm.seconds(), warm.settled() ? "" : " (had not settled)");
      List<PhaseResult> runs = new ArrayList<>();
      FerryProfiler.Session profile = context.startProfile();
      for (int i = 1; i <= context.options().runs(); i++) {
        PhaseResult run = burst(pushers, batchPath, receiver, MESSAGES_PER_RUN, listeners, errors);
        runs.add(run);
        System.err.printf("  run %d     %,10.0f deliveries/s  p50 %7.2f ms  p99 %7.2f ms  %,d of %,d%n", i,
            run.itemsPerSecond(), run.p50Millis(), run.p99Millis(), run.items(), run.rounds());
      }
      if (profile != null) {
        notes.add(profile.stop(id() + "-" + listeners));
      }
      notes.add(String.format(Locale.ROOT, "each run: a burst of %,d messages of ~100 B pushed as batches of %d "
          + "over %d connections, delivered to %d listener(s) on one queue; the receiver answers 200 at once. "
          + "Latency is push → receiver and includes waiting behind the burst; the dispatcher's defaults apply "
          + "(64 requests in flight per listener)", MESSAGES_PER_RUN, BATCH, PUSHERS, listeners));
      notes.add(String.format(Locale.ROOT, "whole scenario: %,d deliveries, %,d of them duplicates",
          receiver.total.get(), receiver.duplicates.get()));
      // Throughput moves with whatever else shares the cores; the CPU a delivery costs Ferry moves far less.
      notes.add("Ferry CPU per delivery (push, lease, webhook request, settlement and attempt log; all of "
          + "Ferry's threads from the first push to the last delivery): " + String.join(" / ", runs.stream()
          .map(run -> run.cpuSecondsPerMillion(BenchContext.FERRY_CPU))
          .map(micros -> micros < 0 ? "—" : String.format(Locale.ROOT, "%.0f µs", micros))
          .toList()));
      return new ScenarioResult(this, listeners, warm.seconds(), warm.settled(), runs, errors, notes, null);
    } finally {
      pushers.forEach(ClientConnection::close);
      ferry.deleteQueue(queuePath);
      receiver.close();
    }
  }

  private record WarmUp(int seconds, boolean settled) {
  }

  /**
   * Bursts for at least {@code least}, then until the delivery rate of three consecutive seconds of bursts agrees
   * within 10 % as the other rows' warm-up does (at most {@link #MAX_WARM_UP}). The webhook path's code is
   * compiled during these bursts, and on two cores the JIT compiler's threads take CPU from the deliveries: in a
   * profile of the one-listener row right after a fixed 10 s, 42 % of Ferry's CPU was the compiler.
   */
  private static WarmUp warmUp(List<ClientConnection> pushers, String path, Receiver receiver, int listeners,
      Duration least, ErrorTally errors) throws Exception {
    long start = System.nanoTime();
    long leastUntil = start + least.toNanos();
    long mostUntil = start + Math.max(least.toNanos(), MAX_WARM_UP.toNanos());
    List<Double> rates = new ArrayList<>();
    long items = 0;
    double seconds = 0;
    while (System.nanoTime() < leastUntil || !ScenarioRunner.settled(rates) && System.nanoTime() < mostUntil) {
      PhaseResult burst = burst(pushers, path, receiver, WARM_UP_MESSAGES, listeners, errors);
      items += burst.items();
      seconds += burst.seconds();
      if (seconds >= 1) {
        rates.add(items / seconds);
        items = 0;
        seconds = 0;
      }
    }
    return new WarmUp((int) Math.round((System.nanoTime() - start) / 1e9), ScenarioRunner.settled(rates));
  }

  /** Pushes {@code messages} and waits until each listener has every one; the phase's figures. */
  private static PhaseResult burst(List<ClientConnection> pushers, String path, Receiver receiver, int messages,
      int listeners, ErrorTally errors) throws Exception {
    receiver.reset(messages * (long) listeners);
    CpuSampler.Sample cpuBefore = CpuSampler.take();
    long started = System.nanoTime();
    AtomicLong pushFailures = new AtomicLong();
    List<Future<Void>> pushing = new ArrayList<>();
    int batches = messages / BATCH;
    for (int p = 0; p < pushers.size(); p++) {
      pushing.add(pushBatches(pushers.get(p), path, p, pushers.size(), batches, errors, pushFailures));
    }
    Await.result(Future.join(pushing), DELIVERED);
    long expected = (messages - pushFailures.get() * BATCH) * (long) listeners;
    receiver.expect(expected);
    receiver.awaitAll(DELIVERED);
    CpuSampler.Sample cpuAfter = CpuSampler.take();
    double foreignCpu = CpuSampler.foreignShare(cpuBefore, cpuAfter);
    long lastAt = receiver.lastAt.get();
    double seconds = (Math.max(lastAt, started + 1) - started) / 1e9;
    return new PhaseResult(receiver.received.get(), messages * (long) listeners, 0, batches, seconds,
        receiver.latency(), new ErrorTally(), foreignCpu, CpuSampler.watchedSeconds(cpuBefore, cpuAfter));
  }

  /** One pusher's share of the batches, one at a time on its connection. */
  private static Future<Void> pushBatches(ClientConnection pusher, String path, int first, int step, int batches,
      ErrorTally errors, AtomicLong failures) {
    if (first >= batches) {
      return Future.succeededFuture();
    }
    StringBuilder body = new StringBuilder(BATCH * 120).append("{\"messages\":[");
    long sent = System.nanoTime();
    for (int i = 0; i < BATCH; i++) {
      body.append(i == 0 ? "" : ",").append("{\"body\":{\"bench_t\":").append(sent).append(",\"pad\":\"")
          .append("x".repeat(60)).append("\"}}");
    }
    return pusher.post(path, Buffer.buffer(body.append("]}").toString()))
        .<Void>mapEmpty()
        .recover(e -> {
          errors.record(e);
          failures.incrementAndGet();
          return Future.succeededFuture();
        })
        .compose(v -> pushBatches(pusher, path, first + step, step, batches, errors, failures));
  }

  /** The local webhook receiver: 200 at once, counting deliveries and their push → arrival latency. */
  private static final class Receiver {

    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong lastAt = new AtomicLong();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private LatencyHistogram latency = new LatencyHistogram();
    private volatile long expected = Long.MAX_VALUE;

    private Receiver(HttpServer server) {
      this.server = server;
    }

    static Receiver start(Vertx vertx) throws Exception {
      Receiver[] self = new Receiver[1];
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        if (!request.path().startsWith("/hook/")) {
          request.response().setStatusCode(200).end();
          return;
        }
        request.body().onSuccess(body -> {
          self[0].record(request.path(), body);
          request.response().setStatusCode(200).end();
        });
      });
      self[0] = new Receiver(server);
      Await.result(server.listen(0, "127.0.0.1"), CALL);
      return self[0];
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private synchronized void record(String path, Buffer body) {
      long now = System.nanoTime();
      JsonObject webhook = body.toJsonObject();
      total.incrementAndGet();
      if (!seen.add(path + " " + webhook.getString("id"))) {
        duplicates.incrementAndGet();
        return;
      }
      latency.recordNanos(now - webhook.getJsonObject("data").getLong("bench_t"));
      lastAt.accumulateAndGet(now, Math::max);
      received.incrementAndGet();
    }

    /** Forgets the previous phase; deliveries of the new one are counted from here. */
    synchronized void reset(long upTo) {
      seen.clear();
      latency = new LatencyHistogram();
      received.set(0);
      lastAt.set(0);
      expected = upTo;
    }

    void expect(long deliveries) {
      expected = deliveries;
    }

    void awaitAll(Duration most) throws InterruptedException {
      long deadline = System.nanoTime() + most.toNanos();
      while (received.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }

    synchronized LatencyHistogram latency() {
      LatencyHistogram copy = new LatencyHistogram();
      copy.add(latency);
      return copy;
    }

    void close() throws Exception {
      Await.result(server.close(), CALL);
    }
  }
}

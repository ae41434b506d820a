package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish → WebSocket frame: {@code clients} Sonya subscribers on one queue (no consumer), and a publisher
 * pushing batches at a fixed rate, open loop (a tick does not wait for the previous push), so a slow Ferry
 * shows as latency rather than as a lower offered rate. Throughput is frames received per second over all
 * subscribers; latency is from just before the push to the subscriber having the frame. The subscribers run in
 * a JVM of their own ({@link WsSubscriberJvm}), so this JVM only publishes. Two rates, from TARGETS.md: the
 * latency target's 100 msg/s to 1,000 subscribers (100k frames/s, p99 ≤ 10 ms, nothing dropped) and the
 * capacity target's 200k frames/s out (200 msg/s to the same 1,000, nothing dropped, no latency bound).
 */
final class WsFanOutScenario implements SelfTimedScenario {

  private static final String SUBSCRIBERS_CPU = "ws-subscribers";
  private static final long TICK_MS = 100;
  // Frames published near the end of a window still arrive after it; they count if they arrive by then.
  private static final Duration DRAIN = Duration.ofSeconds(1);
  private static final Duration CONNECT = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final int MAX_CATCH_UP_SLICES = 30;
  private static final double CAUGHT_UP_P99_MS = 500;

  private final String id;
  private final int messagesPerSecond;
  private final int perTick;
  private final Target target;

  private WsFanOutScenario(String id, int messagesPerSecond, Target target) {
    this.id = id;
    this.messagesPerSecond = messagesPerSecond;
    this.perTick = (int) (messagesPerSecond * TICK_MS / 1000);
    this.target = target;
  }

  /** The latency target: 100k frames/s, p99 ≤ 10 ms. */
  static WsFanOutScenario latency() {
    return new WsFanOutScenario("ws-fanout", 100,
        Target.atLeastWithP99(100_000, 10, "≥ 100k frames/s out, p99 ≤ 10 ms, nothing dropped"));
  }

  /** The capacity target: 200k frames/s out of one node; latency is reported but not held to a bound. */
  static WsFanOutScenario capacity() {
    return new WsFanOutScenario("ws-fanout-capacity", 200,
        Target.atLeast(200_000, "≥ 200k frames/s out, nothing dropped"));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String title() {
    return "ws fan-out " + messagesPerSecond + " msg/s";
  }

  @Override
  public String unit() {
    return "frames/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(1_000);
  }

  @Override
  public Target target(int clients) {
    return target;
  }

  @Override
  public ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    BenchOptions options = context.options();
    FerryUnderTest ferry = context.ferry();
    String name = "bench-ws-fanout-" + clients + "-" + System.nanoTime();
    String queue = ferry.createQueue(name);
    WsSubscriberJvm subscribers = null;
    Publisher publisher = null;
    try {
      subscribers = WsSubscriberJvm.start(ferry.endpoint(), name, clients, CONNECT);
      CpuSampler.watch(SUBSCRIBERS_CPU, subscribers.process());
      System.err.printf("  %,d subscribers open in their own JVM; publishing %d msg/s (%d every %d ms)%n", clients,
          messagesPerSecond, perTick, TICK_MS);
      publisher = new Publisher(context.vertx(), ferry.endpoint(), context.agent(), queue + "/messages/batch",
          perTick, errors);
      publisher.start();
      // The WebSocket path is not in Ferry's mixed warm-up: give its JIT a few seconds whatever --warmup says.
      Thread.sleep(warmup(options).toMillis());
      int catchUp = catchUp(subscribers, clients, publisher);
      List<PhaseResult> runs = new ArrayList<>();
      FerryProfiler.Session profile = context.startProfile();
      for (int i = 1; i <= options.runs(); i++) {
        PhaseResult run = measureWindow(subscribers, clients, publisher, options.run());
        runs.add(run);
        System.err.printf("  run %d     %,10.0f frames/s  p50 %6.2f ms  p99 %6.2f ms  frames %,d of %,d  CPU per "
            + "frame: Ferry %.2f µs, subscribers %.2f µs%n", i, run.itemsPerSecond(), run.p50Millis(),
            run.p99Millis(), run.items(), run.rounds(), run.cpuSecondsPerMillion(BenchContext.FERRY_CPU),
            run.cpuSecondsPerMillion(SUBSCRIBERS_CPU));
      }
      if (profile != null) {
        notes.add(profile.stop(id() + "-" + clients));
      }
      publisher.stop();
      publisher.awaitIdle(SETTLE);
      long published = publisher.published();
      // Everything published must reach every subscriber: wait for the stragglers before counting.
      long deadline = System.nanoTime() + SETTLE.toNanos();
      WsSubscriberJvm.Totals totals = subscribers.totals();
      while (System.nanoTime() < deadline && totals.received() < published * clients) {
        Thread.sleep(100);
        totals = subscribers.totals();
      }
      notes.add(String.format(Locale.ROOT, "open loop: %d msg/s published as a batch of %d every %d ms to one "
          + "queue, %,d subscribers (in a JVM of their own, %d event loops), so %,d frames/s offered; warm-up %d s "
          + "(not measured)", messagesPerSecond, perTick, TICK_MS, clients, WsSubscriberJvm.EVENT_LOOPS,
          messagesPerSecond * clients, warmup(options).toSeconds()));
      notes.add(catchUp < MAX_CATCH_UP_SLICES
          ? "after the warm-up, " + catchUp + " 1 s slices (not measured) until frames kept up with the pushes"
          : "frames had not caught up with the pushes after " + catchUp + " 1 s slices past the warm-up: the "
              + "runs start with a backlog");
      notes.add(String.format(Locale.ROOT, "whole run: %,d messages accepted, %,d frames expected, %,d received;"
          + " dropped %,d, duplicates %,d, out of sequence order %,d, subscribers closed by Ferry %d; "
          + "messages whose push failed %,d", published, published * clients, totals.received(),
          published * clients - totals.distinct(), totals.duplicates(), totals.outOfOrder(), totals.closed(),
          publisher.failed()));
      notes.add(runs.stream().map(run -> String.format(Locale.ROOT, "%.2f / %.2f",
              run.cpuSecondsPerMillion(BenchContext.FERRY_CPU), run.cpuSecondsPerMillion(SUBSCRIBERS_CPU)))
          .collect(java.util.stream.Collectors.joining("; ", "CPU µs per frame sent in each run, Ferry / the "
              + "subscribers' JVM (less sensitive to other processes than latency): ", "")));
      if (totals.closed() > 0) {
        notes.add("subscribers closed by Ferry, by close code and reason: " + subscribers.closes());
      }
      if (publisher.inFlight() > 0) {
        notes.add(publisher.inFlight() + " pushes still unanswered " + SETTLE.toSeconds() + " s after the last: "
            + "their messages are not in the counts above, but their frames may be");
      }
      long maxTicksLate = publisher.maxLateMillis();
      if (maxTicksLate > TICK_MS) {
        notes.add("the publisher's timer ran up to " + maxTicksLate + " ms late (load generator busy)");
      }
      return new ScenarioResult(this, clients, (int) warmup(options).toSeconds(), true, runs, errors, notes,
          null);
    } finally {
      if (publisher != null) {
        publisher.stop();
        publisher.awaitIdle(SETTLE);
      }
      if (subscribers != null) {
        CpuSampler.unwatch(SUBSCRIBERS_CPU);
        subscribers.close();
      }
      ferry.deleteQueue(queue);
    }
  }

  /**
   * One measured window: frames of messages published inside it, received by the end of it plus the drain;
   * {@code rounds} holds the frames expected (messages accepted in the window × subscribers).
   */
  private static PhaseResult measureWindow(WsSubscriberJvm subscribers, int clients, Publisher publisher,
      Duration length) throws Exception {
    CpuSampler.Sample cpuBefore = CpuSampler.take();
    long from = System.nanoTime();
    WsSubscriber.Window window = new WsSubscriber.Window(from, from + length.toNanos());
    subscribers.window(window);
    publisher.window(window);
    Thread.sleep(length.toMillis());
    CpuSampler.Sample cpuAfter = CpuSampler.take();
    double foreignCpu = CpuSampler.foreignShare(cpuBefore, cpuAfter);
    Thread.sleep(DRAIN.toMillis());
    WsSubscriber.WindowFigures figures = subscribers.takeWindow();
    long expected = publisher.takeWindowAccepted() * clients;
    return new PhaseResult(figures.frames(), expected, 0, publisher.takeWindowRequests(), length.toNanos() / 1e9,
        figures.latency(), new ErrorTally(), foreignCpu, CpuSampler.watchedSeconds(cpuBefore, cpuAfter));
  }

  /**
   * 1 s slices, after the warm-up, until the subscribers keep up: a slice whose frames all arrived by its end
   * plus the drain, with a p99 under 500 ms and within 20 % of the slice before (or under 50 ms): a backlog
   * shows as a p99 of seconds, and the count of pushes answered lags behind it. On two shared cores a cold
   * Ferry or subscriber JVM falls behind in the first seconds, and the backlog would otherwise show as
   * seconds of latency in the first runs. Also stops once Ferry has closed every subscriber. Returns the
   * number of slices taken.
   */
  private static int catchUp(WsSubscriberJvm subscribers, int clients, Publisher publisher) throws Exception {
    double previousP99 = Double.MAX_VALUE;
    for (int slice = 1; slice <= MAX_CATCH_UP_SLICES; slice++) {
      PhaseResult result = measureWindow(subscribers, clients, publisher, Duration.ofSeconds(1));
      boolean complete = result.rounds() > 0 && result.items() >= result.rounds();
      boolean steady = result.p99Millis() < 50
          || result.p99Millis() < CAUGHT_UP_P99_MS && result.p99Millis() <= previousP99 * 1.2;
      System.err.printf("  catch-up %d  p50 %6.2f ms  p99 %6.2f ms  frames %,d of %,d%n", slice, result.p50Millis(),
          result.p99Millis(), result.items(), result.rounds());
      if (complete && steady && previousP99 != Double.MAX_VALUE
          || subscribers.totals().closed() == clients) {
        return slice;
      }
      previousP99 = result.p99Millis();
    }
    return MAX_CATCH_UP_SLICES;
  }

  private static Duration warmup(BenchOptions options) {
    return options.warmup().compareTo(Duration.ofSeconds(3)) < 0 ? Duration.ofSeconds(3) : options.warmup();
  }

  /** Pushes {@code perTick} messages every {@link #TICK_MS} ms through the shared HTTP agent's pool. */
  private static final class Publisher {

    private final Vertx vertx;
    private final Endpoint endpoint;
    private final io.vertx.core.http.HttpClientAgent agent;
    private final String path;
    private final int perTick;
    private final ErrorTally errors;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong windowAccepted = new AtomicLong();
    private final AtomicLong windowRequests = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile WsSubscriber.Window window = new WsSubscriber.Window(0, 0);
    private volatile long maxLateMillis;
    private long nextIndex;
    private long timer = -1;
    private long due;

    Publisher(Vertx vertx, Endpoint endpoint, io.vertx.core.http.HttpClientAgent agent, String path, int perTick,
        ErrorTally errors) {
      this.vertx = vertx;
      this.endpoint = endpoint;
      this.agent = agent;
      this.path = path;
      this.perTick = perTick;
      this.errors = errors;
    }

    void start() {
      due = System.nanoTime();
      timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }

    void stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    void window(WsSubscriber.Window next) {
      window = next;
    }

    /** Waits for pushes still in flight, so the queue is not deleted under them and the counts are final. */
    void awaitIdle(Duration most) throws InterruptedException {
      long deadline = System.nanoTime() + most.toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }

    long published() {
      return accepted.get();
    }

    long failed() {
      return failed.get();
    }

    long inFlight() {
      return inFlight.get();
    }

    long maxLateMillis() {
      return maxLateMillis;
    }

    long takeWindowAccepted() {
      return windowAccepted.getAndSet(0);
    }

    long takeWindowRequests() {
      return windowRequests.getAndSet(0);
    }

    // Runs on the timer's one context, so nextIndex needs no lock.
    private void tick() {
      long sent = System.nanoTime();
      due += TICK_MS * 1_000_000;
      maxLateMillis = Math.max(maxLateMillis, (sent - due) / 1_000_000);
      StringBuilder body = new StringBuilder(160 * perTick).append("{\"messages\":[");
      for (int i = 0; i < perTick; i++) {
        body.append(i == 0 ? "" : ",").append("{\"body\":{\"bench_i\":").append(nextIndex++)
            .append(",\"bench_t\":").append(sent).append(",\"pad\":\"").append("x".repeat(40)).append("\"}}");
      }
      Buffer payload = Buffer.buffer(body.append("]}").toString());
      boolean inWindow = window.contains(sent);
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.host())
          .setPort(endpoint.port()).setURI(path)
          .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + endpoint.token())
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      inFlight.incrementAndGet();
      agent.request(request)
          .compose(req -> req.send(payload))
          .compose(resp -> resp.body().map(bytes -> new ClientConnection.Reply(resp.statusCode(), bytes)))
          .map(reply -> reply.expectOk("POST " + path))
          .onComplete(done -> {
            inFlight.decrementAndGet();
            if (done.failed()) {
              failed.addAndGet(perTick);
              errors.record(done.cause());
              return;
            }
            accepted.addAndGet(perTick);
            if (inWindow) {
              windowAccepted.addAndGet(perTick);
              windowRequests.incrementAndGet();
            }
          });
    }
  }
}

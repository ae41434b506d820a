package io.ferry.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket connection capacity: idle Sonya subscribers on one queue, opened in steps of {@link #STEP}
 * until {@code clients} are open or a step fails, then held for {@link #HOLD}. The row's throughput is the
 * number still open at the end of the hold, its latency the time to open one (upgrade included), and its
 * req/s the handshakes per second over all steps. Ferry's heap after GC is noted with them open.
 */
final class WsConnectionsScenario implements SelfTimedScenario {

  private static final int STEP = 1_000;
  // File descriptors the bench JVM keeps for itself (jars, the HTTP agent, Ferry's output pipes).
  private static final int FD_HEADROOM = 1_000;
  private static final Duration CONNECT = Duration.ofSeconds(60);
  private static final Duration HOLD = Duration.ofSeconds(2);
  // Vert.x's default, which these sockets had when they were opened on the bench JVM's Vert.x.
  private static final int CONNECTOR_EVENT_LOOPS = 2 * Runtime.getRuntime().availableProcessors();

  @Override
  public String id() {
    return "ws-connections";
  }

  @Override
  public String title() {
    return "ws open connections held";
  }

  @Override
  public String unit() {
    return "connections";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(10_000);
  }

  @Override
  public Target target(int clients) {
    return Target.atLeast(10_000, "≥ 10,000 open connections");
  }

  @Override
  public ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    int wanted = Math.min(clients, fdLimit() - FD_HEADROOM);
    if (wanted < clients) {
      notes.add(String.format(Locale.ROOT, "capped at %,d by the bench JVM's file descriptor limit", wanted));
    }
    FerryUnderTest ferry = context.ferry();
    String name = "bench-ws-connections-" + System.nanoTime();
    String queue = ferry.createQueue(name);
    WsSubscriber.Connector connector = new WsSubscriber.Connector(ferry.endpoint(), CONNECTOR_EVENT_LOOPS);
    List<WsSubscriber> open = new ArrayList<>();
    LatencyHistogram openTime = new LatencyHistogram();
    try {
      CpuSampler.Sample cpuBefore = CpuSampler.take();
      long started = System.nanoTime();
      while (open.size() < wanted) {
        int step = Math.min(STEP, wanted - open.size());
        List<CompletableFuture<WsSubscriber>> opening = new ArrayList<>();
        List<Long> begun = new ArrayList<>();
        for (int i = 0; i < step; i++) {
          begun.add(System.nanoTime());
          opening.add(connector.open(name));
        }
        try {
          CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
              .get(CONNECT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          // fails once all have completed if any failed, or on the timeout; the failures are counted below
        }
        long done = System.nanoTime();
        int failed = 0;
        for (CompletableFuture<WsSubscriber> f : opening) {
          if (f.isDone() && !f.isCompletedExceptionally()) {
            open.add(f.join());
          } else {
            failed++;
            errors.record(f.isDone() ? f.handle((opened, failure) -> failure).join()
                : new IllegalStateException("connect timed out"));
          }
        }
        // Per connection: from starting its open to the end of its step (the step opens all at once).
        for (long b : begun) {
          openTime.recordNanos(done - b);
        }
        System.err.printf("  %,d open (step of %,d, %d failed)%n", open.size(), step, failed);
        if (failed > 0) {
          notes.add(String.format(Locale.ROOT, "stopped opening at %,d: %d of a step of %,d failed", open.size(),
              failed, step));
          break;
        }
      }
      double openSeconds = (System.nanoTime() - started) / 1e9;
      Thread.sleep(HOLD.toMillis());
      long held = open.stream().filter(WsSubscriber::isOpen).count();
      double foreignCpu = CpuSampler.foreignShare(cpuBefore, CpuSampler.take());
      long heap = ferry.heapUsedAfterGc();
      long stillHeld = open.stream().filter(WsSubscriber::isOpen).count();
      notes.add(String.format(Locale.ROOT, "opened %,d in steps of %,d in %.1f s (%,.0f handshakes/s); "
          + "%,d still open after %d s, %,d after Ferry's GC; Ferry heap used after GC with them open: %s",
          open.size(), STEP, openSeconds, open.size() / openSeconds, held, HOLD.toSeconds(), stillHeld,
          Report.megabytes(heap)));
      // One "run" of one second whose items are the connections held and requests the handshake rate.
      PhaseResult run = new PhaseResult(held, open.size(), 0, Math.round(open.size() / openSeconds), 1.0,
          openTime, new ErrorTally(), foreignCpu);
      return new ScenarioResult(this, wanted, 0, true, List.of(run), errors, notes, null);
    } finally {
      open.forEach(WsSubscriber::close);
      connector.close();
      ferry.deleteQueue(queue);
    }
  }

  private static int fdLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return (int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount());
    }
    return Integer.MAX_VALUE;
  }
}

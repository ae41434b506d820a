package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumers: a queue with an http_pull consumer is filled before every phase (outside the timed window)
 * with enough messages for that phase; then every client loops {@code pull {batch_size: 10}} followed by
 * one {@code ack} of all the leases it got. Throughput counts acked messages.
 */
final class PullAckScenario implements RoundScenario {

  private static final int PULL_BATCH = 10;
  private static final int FILL_BATCH = 100;
  private static final Buffer PULL = Buffer.buffer(
      "{\"batch_size\":" + PULL_BATCH + ",\"visibility_timeout_ms\":30000}");
  private static final Buffer FILL = Payloads.batch(FILL_BATCH);
  // Before anything was measured: a guess of the rate, so the first fill is neither tiny nor huge.
  private static final double FIRST_GUESS_PER_SECOND = 40_000;
  private static final long MIN_BACKLOG = 50_000;
  private static final double HEADROOM = 2;

  @Override
  public String id() {
    return "pull-ack";
  }

  @Override
  public String title() {
    return "pull (batch 10) + ack";
  }

  @Override
  public String unit() {
    return "msg/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(16, 64);
  }

  @Override
  public Target target() {
    return Target.atLeast(100_000, "≥ 100,000 msg/s");
  }

  @Override
  public Workload prepare(BenchContext context, int clients) throws Exception {
    FerryUnderTest ferry = context.ferry();
    String queue = ferry.createQueue("bench-pull-ack-" + clients + "-" + System.nanoTime());
    ferry.addPullConsumer(queue, PULL_BATCH);
    return new PullAckWorkload(ferry, queue);
  }

  private static final class PullAckWorkload implements Workload {

    private final FerryUnderTest ferry;
    private final String queue;
    private final String pullPath;
    private final String ackPath;
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong emptyPulls = new AtomicLong();
    private final AtomicLong unackedLeases = new AtomicLong();
    private final List<String> fills = new ArrayList<>();
    private volatile String firstEmptyPull;

    PullAckWorkload(FerryUnderTest ferry, String queue) {
      this.ferry = ferry;
      this.queue = queue;
      this.pullPath = queue + "/messages/pull";
      this.ackPath = queue + "/messages/ack";
    }

    @Override
    public Endpoint endpoint() {
      return ferry.endpoint();
    }

    @Override
    public Future<Integer> round(ClientConnection client) {
      return client.post(pullPath, PULL).compose(answer -> {
        JsonArray messages = new JsonObject(answer).getJsonObject("result").getJsonArray("messages");
        if (messages.isEmpty()) {
          if (emptyPulls.incrementAndGet() == 1) {
            firstEmptyPull = String.format("%s (%,d pushed, %,d acked so far)", answer, pushed.get(), acked.get());
          }
          return Future.succeededFuture(0);
        }
        return client.post(ackPath, Payloads.acks(messages)).map(reply -> {
          int count = new JsonObject(reply).getJsonObject("result").getInteger("ackCount");
          unackedLeases.addAndGet(messages.size() - count);
          acked.addAndGet(count);
          return count;
        });
      });
    }

    /** Tops the backlog up to what the coming phase can consume at the best rate seen, with headroom. */
    @Override
    public void beforePhase(List<ClientConnection> clients, Duration phase, double bestRate) throws Exception {
      double rate = bestRate > 0 ? bestRate : FIRST_GUESS_PER_SECOND;
      long wanted = Math.max(MIN_BACKLOG, (long) Math.ceil(rate * phase.toNanos() / 1e9 * HEADROOM));
      long missing = wanted - (pushed.get() - acked.get());
      if (missing <= 0) {
        return;
      }
      long started = System.nanoTime();
      AtomicLong remaining = new AtomicLong(missing);
      List<Future<Void>> fillers = new ArrayList<>();
      for (ClientConnection client : clients) {
        Promise<Void> done = Promise.promise();
        client.context().runOnContext(v -> fill(client, remaining, done));
        fillers.add(done.future());
      }
      Await.result(Future.all(fillers), Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - started) / 1e9;
      fills.add(String.format("%,d in %.1f s", missing, seconds));
      System.err.printf("  filled %,d messages in %.1f s%n", missing, seconds);
    }

    private void fill(ClientConnection client, AtomicLong remaining, Promise<Void> done) {
      if (remaining.getAndAdd(-FILL_BATCH) <= 0) {
        done.complete();
        return;
      }
      client.post(queue + "/messages/batch", FILL).onComplete(answer -> {
        if (answer.failed()) {
          done.fail(answer.cause());
          return;
        }
        pushed.addAndGet(FILL_BATCH);
        fill(client, remaining, done);
      });
    }

    @Override
    public List<String> notes() {
      List<String> notes = new ArrayList<>();
      notes.add("fills before each phase (batches of " + FILL_BATCH + "): " + String.join(", ", fills));
      if (emptyPulls.get() > 0) {
        notes.add(String.format("%,d pulls came back empty, warm-up included (the queue ran dry; if any fell in"
            + " a measured run, that run's figure is low); the first answered: %s", emptyPulls.get(),
            firstEmptyPull));
      }
      if (unackedLeases.get() > 0) {
        notes.add(String.format("WARNING: %,d leases were not acked (ackCount below the leases sent)",
            unackedLeases.get()));
      }
      notes.add(String.format("left in the queue at the end: %,d messages (deleted with the queue)",
          pushed.get() - acked.get()));
      return notes;
    }

    @Override
    public void close() throws Exception {
      ferry.deleteQueue(queue);
    }
  }
}

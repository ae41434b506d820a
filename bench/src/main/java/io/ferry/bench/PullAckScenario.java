package io.ferry.bench;

import io.vertx.core.Future;
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
final class PullAckScenario extends QueueScenario<ClientConnection> {

  private static final int PULL_BATCH = 10;
  private static final int FILL_BATCH = 100;
  private static final Buffer PULL = Buffer.buffer(
      "{\"batch_size\":" + PULL_BATCH + ",\"visibility_timeout_ms\":30000}");
  private static final Buffer FILL = Payloads.batch(FILL_BATCH);
  // Before anything was measured: a guess of the rate, so the first fill is neither tiny nor huge.
  private static final double FIRST_GUESS_PER_SECOND = 40_000;
  private static final Duration CONNECT = Duration.ofSeconds(30);

  PullAckScenario() {
    super(Shape.PULL_ACK, "pull-ack", "pull (batch 10) + ack", List.of(16, 64),
        Target.atLeast(100_000, "≥ 100,000 msg/s"), FIRST_GUESS_PER_SECOND);
  }

  @Override
  boolean drivesFerry() {
    return true;
  }

  @Override
  Wire<ClientConnection> open(BenchContext context, int clients) throws Exception {
    FerryUnderTest ferry = context.ferry();
    String queue = ferry.createQueue("bench-pull-ack-" + clients + "-" + System.nanoTime());
    try {
      ferry.addPullConsumer(queue, PULL_BATCH);
      return new FerryQueue(context, ferry, queue,
          ClientConnection.openAll(context.agent(), ferry.endpoint(), clients, CONNECT));
    } catch (Exception e) {
      ferry.deleteQueue(queue);
      throw e;
    }
  }

  private static final class FerryQueue extends Wire<ClientConnection> {

    private final BenchContext context;
    private final FerryUnderTest ferry;
    private final String queue;
    private final List<ClientConnection> clients;
    private final String pullPath;
    private final String ackPath;
    private final AtomicLong emptyPulls = new AtomicLong();
    private final AtomicLong unackedLeases = new AtomicLong();
    private volatile String firstEmptyPull;

    FerryQueue(BenchContext context, FerryUnderTest ferry, String queue, List<ClientConnection> clients) {
      this.context = context;
      this.ferry = ferry;
      this.queue = queue;
      this.clients = clients;
      this.pullPath = queue + "/messages/pull";
      this.ackPath = queue + "/messages/ack";
    }

    @Override
    List<ClientConnection> clients() {
      return clients;
    }

    @Override
    Future<Integer> push(ClientConnection client) {
      throw new UnsupportedOperationException("Ferry's push rows are PushScenario's");
    }

    @Override
    Future<Integer> pullAndAck(ClientConnection client) {
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
          return count;
        });
      });
    }

    @Override
    int fillBatch() {
      return FILL_BATCH;
    }

    @Override
    Future<Integer> fill(ClientConnection client, int count) {
      Buffer batch = count == FILL_BATCH ? FILL : Payloads.batch(count);
      return client.post(queue + "/messages/batch", batch).map(answer -> count);
    }

    @Override
    String fillUnit() {
      return "batches of " + FILL_BATCH;
    }

    @Override
    List<String> warnings() {
      List<String> notes = new ArrayList<>();
      if (emptyPulls.get() > 0) {
        notes.add(String.format("%,d pulls came back empty, warm-up included (the queue ran dry; if any fell in"
            + " a measured run, that run's figure is low); the first answered: %s", emptyPulls.get(),
            firstEmptyPull));
      }
      if (unackedLeases.get() > 0) {
        notes.add(String.format("WARNING: %,d leases were not acked (ackCount below the leases sent)",
            unackedLeases.get()));
      }
      return notes;
    }

    @Override
    String leftAtEnd(long backlog) {
      return String.format("left in the queue at the end: %,d messages (deleted with the queue)", backlog);
    }

    @Override
    public void close() {
      clients.forEach(ClientConnection::close);
      try {
        ferry.deleteQueue(queue);
      } catch (Exception e) {
        context.problem("cleanup after pull-ack failed: " + ErrorTally.describe(e));
      }
    }
  }
}

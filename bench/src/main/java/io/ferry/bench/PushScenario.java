package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers: every client loops one push request (a single message or a batch) into a fresh queue that has
 * an http_pull consumer, so each message is durable and pending for a consumer, as in production. The
 * queue is deleted afterwards, so later scenarios do not carry its backlog. The spread variant pushes round robin
 * into several such queues, as an application with many queues does: its queues fall into different shards.
 */
final class PushScenario implements RoundScenario {

  static final int SPREAD_QUEUES = 16;

  private final String id;
  private final String title;
  private final String pathSuffix;
  private final Buffer body;
  private final int messagesPerRequest;
  private final List<Integer> clientCounts;
  private final Target target;
  private final int queues;
  // Set for a row on queues that exist already, driven at an endpoint of the caller's choosing (--cluster).
  private final Fixed fixed;

  /** Queues made by the caller (kept at the end) and where to send their pushes. */
  record Fixed(Endpoint endpoint, List<String> queuePaths) {
  }

  private PushScenario(String id, String title, String pathSuffix, Buffer body, int messagesPerRequest,
      List<Integer> clientCounts, Target target, int queues) {
    this(id, title, pathSuffix, body, messagesPerRequest, clientCounts, target, queues, null);
  }

  private PushScenario(String id, String title, String pathSuffix, Buffer body, int messagesPerRequest,
      List<Integer> clientCounts, Target target, int queues, Fixed fixed) {
    this.id = id;
    this.title = title;
    this.pathSuffix = pathSuffix;
    this.body = body;
    this.messagesPerRequest = messagesPerRequest;
    this.clientCounts = clientCounts;
    this.target = target;
    this.queues = queues;
    this.fixed = fixed;
  }

  /** {@code POST .../messages/batch} with 10 messages of 100 B. */
  static PushScenario batch() {
    return new PushScenario("batch-push", "batch push 10 × 100 B", "/messages/batch", Payloads.batch(10), 10,
        List.of(16, 64), Target.atLeast(150_000, "≥ 150,000 msg/s"), 1);
  }

  /** {@link #batch()} round robin over {@value #SPREAD_QUEUES} queues. */
  static PushScenario batchSpread() {
    return new PushScenario("batch-push-queues", "batch push 10 × 100 B over " + SPREAD_QUEUES + " queues",
        "/messages/batch", Payloads.batch(10), 10, List.of(16, 64), Target.atLeast(150_000, "≥ 150,000 msg/s"),
        SPREAD_QUEUES);
  }


  /**
   * {@link #batch()} round robin over queues the caller made, sent to {@code endpoint} (one instance of a
   * cluster, say, rather than its proxy); the queues are left in place.
   */
  static PushScenario batchOnQueues(String id, String title, Endpoint endpoint, List<String> queuePaths) {
    return new PushScenario(id, title, "/messages/batch", Payloads.batch(10), 10, List.of(16, 64),
        Target.reference(0, "—"), queuePaths.size(), new Fixed(endpoint, List.copyOf(queuePaths)));
  }

  /** {@code POST .../messages} with one message of 100 B. */
  static PushScenario single() {
    return new PushScenario("single-push", "single push 100 B", "/messages", Payloads.single(), 1,
        List.of(64), Target.atLeastWithP99(40_000, 10, "≥ 40,000 msg/s, p99 ≤ 10 ms"), 1);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String unit() {
    return "msg/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return clientCounts;
  }

  @Override
  public Target target(int clients) {
    return target;
  }

  @Override
  public Workload prepare(BenchContext context, int clients) throws Exception {
    FerryUnderTest ferry = context.ferry();
    if (fixed != null) {
      return new PushWorkload(ferry, fixed.queuePaths());
    }
    List<String> created = new ArrayList<>(queues);
    for (int i = 0; i < queues; i++) {
      String queue = ferry.createQueue("bench-" + id + "-" + clients + "-" + i + "-" + System.nanoTime());
      ferry.addPullConsumer(queue, 10);
      created.add(queue);
    }
    return new PushWorkload(ferry, created);
  }

  private final class PushWorkload implements Workload {

    private final FerryUnderTest ferry;
    private final List<String> queues;
    private final List<String> paths;
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();

    PushWorkload(FerryUnderTest ferry, List<String> queues) {
      this.ferry = ferry;
      this.queues = queues;
      this.paths = queues.stream().map(queue -> queue + pathSuffix).toList();
    }

    @Override
    public Endpoint endpoint() {
      return fixed != null ? fixed.endpoint() : ferry.endpoint();
    }

    @Override
    public Future<Integer> round(ClientConnection client) {
      String path = paths.get((int) (rounds.getAndIncrement() % paths.size()));
      return client.post(path, body).map(answer -> {
        pushed.addAndGet(messagesPerRequest);
        return messagesPerRequest;
      });
    }

    @Override
    public List<String> notes() throws Exception {
      List<String> notes = new ArrayList<>();
      if (!ferry.ownsProcess()) {
        notes.add(String.format("%,d messages pushed (not consumed)", pushed.get()));
        return notes;
      }
      long heap = ferry.heapUsedAfterGc();
      notes.add(String.format("Ferry heap used after GC with the backlog of %,d messages "
          + "(not consumed): %s", pushed.get(), Report.megabytes(heap)));
      return notes;
    }

    @Override
    public void close() throws Exception {
      if (fixed != null) {
        return;
      }
      for (String queue : queues) {
        ferry.deleteQueue(queue);
      }
    }
  }
}

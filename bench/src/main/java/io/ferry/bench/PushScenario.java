package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers: every client loops one push request (a single message or a batch) into a fresh queue that has
 * an http_pull consumer, so each message is durable and pending for a consumer, as in production; with
 * several queues, client {@code i} pushes to queue {@code i mod queues}. The queues are deleted afterwards,
 * so later scenarios do not carry their backlog.
 */
final class PushScenario implements RoundScenario {

  private final String id;
  private final String title;
  private final String pathSuffix;
  private final Buffer body;
  private final int messagesPerRequest;
  private final int queues;
  private final List<Integer> clientCounts;
  private final Target target;

  private PushScenario(String id, String title, String pathSuffix, Buffer body, int messagesPerRequest,
      int queues, List<Integer> clientCounts, Target target) {
    this.id = id;
    this.title = title;
    this.pathSuffix = pathSuffix;
    this.body = body;
    this.messagesPerRequest = messagesPerRequest;
    this.queues = queues;
    this.clientCounts = clientCounts;
    this.target = target;
  }

  /** {@code POST .../messages/batch} with 10 messages of 100 B. */
  static PushScenario batch() {
    return new PushScenario("batch-push", "batch push 10 × 100 B", "/messages/batch", Payloads.batch(10), 10, 1,
        List.of(16, 64), Target.atLeast(150_000, "≥ 150,000 msg/s"));
  }

  /**
   * {@code POST .../messages/batch} with 10 messages of 100 B spread over 16 queues: what messaging's shards
   * (one event loop per shard, not one thread for every queue) are for.
   */
  static PushScenario batchOverQueues() {
    return new PushScenario("batch-push-16q", "batch push 10 × 100 B over 16 queues", "/messages/batch",
        Payloads.batch(10), 10, 16, List.of(64), Target.atLeast(150_000, "≥ 150,000 msg/s"));
  }

  /** {@code POST .../messages} with one message of 100 B. */
  static PushScenario single() {
    return new PushScenario("single-push", "single push 100 B", "/messages", Payloads.single(), 1, 1,
        List.of(64), Target.atLeastWithP99(40_000, 10, "≥ 40,000 msg/s, p99 ≤ 10 ms"));
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
  public Target target() {
    return target;
  }

  @Override
  public Workload prepare(BenchContext context, int clients) throws Exception {
    FerryUnderTest ferry = context.ferry();
    List<String> queueIds = new ArrayList<>(queues);
    for (int i = 0; i < queues; i++) {
      String queue = ferry.createQueue("bench-" + id + "-" + clients + "-" + i + "-" + System.nanoTime());
      ferry.addPullConsumer(queue, 10);
      queueIds.add(queue);
    }
    return new PushWorkload(ferry, queueIds);
  }

  private final class PushWorkload implements Workload {

    private final FerryUnderTest ferry;
    private final List<String> queueIds;
    private final List<String> paths;
    // Each client keeps its queue: the first round of a client picks the next one.
    private final Map<ClientConnection, String> pathOfClient = new ConcurrentHashMap<>();
    private final AtomicInteger nextQueue = new AtomicInteger();
    private final AtomicLong pushed = new AtomicLong();

    PushWorkload(FerryUnderTest ferry, List<String> queueIds) {
      this.ferry = ferry;
      this.queueIds = queueIds;
      this.paths = queueIds.stream().map(queue -> queue + pathSuffix).toList();
    }

    @Override
    public Endpoint endpoint() {
      return ferry.endpoint();
    }

    @Override
    public Future<Integer> round(ClientConnection client) {
      String path = pathOfClient.computeIfAbsent(client,
          c -> paths.get(Math.floorMod(nextQueue.getAndIncrement(), paths.size())));
      return client.post(path, body).map(answer -> {
        pushed.addAndGet(messagesPerRequest);
        return messagesPerRequest;
      });
    }

    @Override
    public List<String> notes() throws Exception {
      List<String> notes = new ArrayList<>();
      long heap = ferry.heapUsedAfterGc();
      notes.add(String.format("Ferry heap used after GC with %s backlog of %,d messages "
          + "(not consumed): %s", queueIds.size() == 1 ? "this queue's" : "these queues'", pushed.get(),
          Report.megabytes(heap)));
      return notes;
    }

    @Override
    public void close() throws Exception {
      for (String queue : queueIds) {
        ferry.deleteQueue(queue);
      }
    }
  }
}

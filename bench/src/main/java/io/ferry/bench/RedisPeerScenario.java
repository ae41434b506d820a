package io.ferry.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Redis Streams peer of Ferry's batch push and pull + ack ({@code --peers}): the same closed loop, client
 * counts and message size, against a throwaway {@code redis-server} with {@code appendfsync always}. Producers
 * pipeline 10 {@code XADD}s per round (one write to the socket, 10 answers); consumers, each its own member of
 * one consumer group, loop {@code XREADGROUP COUNT 10} then one {@code XACK} of the ids they got, from a stream
 * filled before each phase. Runs right after Ferry's own row of the same work.
 */
final class RedisPeerScenario implements SelfTimedScenario {

  static final String PUSH_ID = "redis-push";
  static final String PULL_ACK_ID = "redis-pull-ack";
  private static final String STREAM = "bench-stream";
  private static final String GROUP = "bench-group";
  private static final String FIELD = "body";
  private static final int BATCH = 10;
  private static final int FILL_BATCH = 100;
  private static final long MIN_BACKLOG = 50_000;
  private static final double HEADROOM = 2;
  private static final Duration CALL = Duration.ofSeconds(60);
  private static final Buffer BODY = Buffer.buffer(Payloads.message().getBytes(StandardCharsets.UTF_8));

  private final boolean push;

  private RedisPeerScenario(boolean push) {
    this.push = push;
  }

  static RedisPeerScenario push() {
    return new RedisPeerScenario(true);
  }

  static RedisPeerScenario pullAck() {
    return new RedisPeerScenario(false);
  }

  @Override
  public String id() {
    return push ? PUSH_ID : PULL_ACK_ID;
  }

  @Override
  public String title() {
    return push ? "peer: Redis Streams, pipelined XADD × 10 × 100 B" : "peer: Redis Streams, XREADGROUP 10 + XACK";
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
    return Target.reference(0, "— (peer; Ferry ÷ peer in Ferry's row)");
  }

  @Override
  public ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    BenchRedis redis;
    try {
      redis = context.redis();
    } catch (IllegalStateException e) {
      return ScenarioResult.skipped(this, clients, "Redis could not be started: " + e.getMessage());
    }
    List<RedisClient> connections = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        RedisClient client = new RedisClient(redis.port(), "consumer-" + i);
        Await.result(context.vertx().deployVerticle(client), CALL);
        connections.add(client);
      }
      RedisClient first = connections.get(0);
      Await.result(first.onContext(() -> first.connection.send(Request.cmd(Command.DEL).arg(STREAM))), CALL);
      Await.result(first.onContext(() -> first.connection.send(Request.cmd(Command.XGROUP).arg("CREATE")
          .arg(STREAM).arg(GROUP).arg("$").arg("MKSTREAM"))), CALL);
      Backlog backlog = new Backlog();
      ScenarioRunner.Measured measured = ScenarioRunner.measure(context, this, 0, errors, notes, (length, best) -> {
        if (!push) {
          backlog.topUp(connections, length, best);
        }
        return LoadRunner.run(connections, client -> round(client, backlog), length);
      });
      notes.add(redis.version() + ", " + String.join(", ", BenchRedis.SETTINGS) + ", loopback, fresh directory");
      if (!push) {
        notes.add(String.format("fills before each phase (pipelines of %d XADD): ", FILL_BATCH)
            + String.join(", ", backlog.fills));
      }
      notes.add(String.format("entries in the stream at the end: %,d (deleted)", backlog.entries.get()));
      return measured.row(this, clients, errors, notes);
    } finally {
      if (!connections.isEmpty()) {
        RedisClient first = connections.get(0);
        Await.result(first.onContext(() -> first.connection.send(Request.cmd(Command.DEL).arg(STREAM))), CALL);
      }
      for (RedisClient client : connections) {
        Await.result(context.vertx().undeploy(client.deploymentID()), CALL);
      }
    }
  }

  private Future<Integer> round(RedisClient client, Backlog backlog) {
    if (push) {
      return client.pipeline(BATCH).map(answers -> {
        backlog.entries.addAndGet(BATCH);
        return BATCH;
      });
    }
    client.commands++;
    Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(client.name).arg("COUNT").arg(BATCH)
        .arg("STREAMS").arg(STREAM).arg(">");
    return client.connection.send(read).compose(answer -> {
      List<String> ids = entryIds(answer);
      if (ids.isEmpty()) {
        return Future.succeededFuture(0);
      }
      Request ack = Request.cmd(Command.XACK).arg(STREAM).arg(GROUP);
      ids.forEach(ack::arg);
      client.commands++;
      return client.connection.send(ack).map(acked -> {
        backlog.entries.addAndGet(-acked.toInteger());
        return acked.toInteger();
      });
    });
  }

  /** The entry ids of an {@code XREADGROUP} answer in RESP2: {@code [[stream, [[id, [field, value]], ...]]]}. */
  static List<String> entryIds(Response answer) {
    if (answer == null || answer.size() == 0) {
      return List.of();
    }
    Response entries = answer.get(0).get(1);
    List<String> ids = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      ids.add(entries.get(i).get(0).toString());
    }
    return ids;
  }

  /** Entries added and not yet acked, and the fills that topped the stream up before consumers' phases. */
  private static final class Backlog {

    final AtomicLong entries = new AtomicLong();
    final List<String> fills = new ArrayList<>();

    void topUp(List<RedisClient> clients, Duration phase, double bestRate) throws Exception {
      long wanted = Math.max(MIN_BACKLOG, (long) Math.ceil(bestRate * phase.toNanos() / 1e9 * HEADROOM));
      long missing = wanted - entries.get();
      if (missing <= 0) {
        return;
      }
      long started = System.nanoTime();
      AtomicLong remaining = new AtomicLong(missing);
      List<Future<Void>> fillers = new ArrayList<>();
      for (RedisClient client : clients) {
        fillers.add(client.onContext(() -> fill(client, remaining)));
      }
      Await.result(Future.all(fillers), Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - started) / 1e9;
      fills.add(String.format("%,d in %.1f s", missing, seconds));
      System.err.printf("  filled %,d entries in %.1f s%n", missing, seconds);
    }

    private Future<Void> fill(RedisClient client, AtomicLong remaining) {
      if (remaining.getAndAdd(-FILL_BATCH) <= 0) {
        return Future.succeededFuture();
      }
      return client.pipeline(FILL_BATCH).compose(answers -> {
        entries.addAndGet(FILL_BATCH);
        return fill(client, remaining);
      });
    }
  }

  /** One client: a Redis connection on an event-loop context of its own, counting the commands it sent. */
  private static final class RedisClient extends VerticleBase implements LoadClient {

    private final RedisOptions options;
    final String name;
    RedisConnection connection;
    long commands;

    RedisClient(int port, String name) {
      this.options = new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
          .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxPoolSize(1).setMaxWaitingHandlers(1024);
      this.name = name;
    }

    @Override
    public Future<?> start() {
      return Redis.createClient(vertx, options).connect().onSuccess(c -> connection = c);
    }

    @Override
    public Future<?> stop() {
      return connection == null ? Future.succeededFuture() : connection.close();
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public long requests() {
      return commands;
    }

    /** {@code count} XADDs of one 100 B body each, written together and answered together. */
    Future<List<Response>> pipeline(int count) {
      List<Request> adds = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        adds.add(Request.cmd(Command.XADD).arg(STREAM).arg("*").arg(FIELD).arg(BODY));
      }
      commands += count;
      return connection.batch(adds);
    }

    <T> Future<T> onContext(Supplier<Future<T>> action) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> action.get().onComplete(done));
      return done.future();
    }
  }
}

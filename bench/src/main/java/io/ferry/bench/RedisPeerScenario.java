package io.ferry.bench;

import io.vertx.core.Future;
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

/**
 * The Redis Streams peer of Ferry's batch push and pull + ack ({@code --peers}): the same closed loop, client
 * counts and message size, against a throwaway {@code redis-server} with {@code appendfsync always}. Producers
 * pipeline 10 {@code XADD}s per round (one write to the socket, 10 answers); consumers, each its own member of
 * one consumer group, loop {@code XREADGROUP COUNT 10} then one {@code XACK} of the ids they got, from a stream
 * filled before each phase. Runs right after Ferry's own row of the same work.
 */
final class RedisPeerScenario extends QueueScenario<RedisPeerScenario.RedisClient> {

  static final String PUSH_ID = "redis-push";
  static final String PULL_ACK_ID = "redis-pull-ack";
  private static final String STREAM = "bench-stream";
  private static final String GROUP = "bench-group";
  private static final String FIELD = "body";
  private static final int BATCH = 10;
  private static final int FILL_BATCH = 100;
  private static final Duration CALL = Duration.ofSeconds(60);
  private static final Buffer BODY = Buffer.buffer(Payloads.message().getBytes(StandardCharsets.UTF_8));

  private RedisPeerScenario(Shape shape, String id, String title) {
    super(shape, id, title);
  }

  static RedisPeerScenario push() {
    return new RedisPeerScenario(Shape.PUSH, PUSH_ID, "peer: Redis Streams, pipelined XADD × 10 × 100 B");
  }

  static RedisPeerScenario pullAck() {
    return new RedisPeerScenario(Shape.PULL_ACK, PULL_ACK_ID, "peer: Redis Streams, XREADGROUP 10 + XACK");
  }

  @Override
  Wire<RedisClient> open(BenchContext context, int clients) throws Exception {
    BenchRedis redis;
    try {
      redis = context.redis();
    } catch (IllegalStateException e) {
      throw new Unavailable("Redis could not be started: " + e.getMessage());
    }
    Stream stream = new Stream(context, redis);
    try {
      for (int i = 0; i < clients; i++) {
        VerticleClient.deploy(context.vertx(), new RedisClient(redis.port(), "consumer-" + i), stream.clients);
      }
      stream.send(Request.cmd(Command.DEL).arg(STREAM));
      stream.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(STREAM).arg(GROUP).arg("$").arg("MKSTREAM"));
      return stream;
    } catch (Exception e) {
      stream.close();
      throw e;
    }
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

  /** The row's stream and consumer group, and one client per simulated client. */
  private static final class Stream extends Wire<RedisClient> {

    private final BenchContext context;
    private final BenchRedis redis;
    private final List<RedisClient> clients = new ArrayList<>();

    Stream(BenchContext context, BenchRedis redis) {
      this.context = context;
      this.redis = redis;
    }

    /** One command on the first client, waited for. */
    void send(Request command) throws Exception {
      RedisClient first = clients.get(0);
      Await.result(onContext(first, () -> first.connection.send(command)), CALL);
    }

    @Override
    List<RedisClient> clients() {
      return clients;
    }

    @Override
    Future<Integer> push(RedisClient client) {
      return client.pipeline(BATCH).map(answers -> BATCH);
    }

    @Override
    Future<Integer> pullAndAck(RedisClient client) {
      client.requests++;
      Request read = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(client.name).arg("COUNT")
          .arg(BATCH).arg("STREAMS").arg(STREAM).arg(">");
      return client.connection.send(read).compose(answer -> {
        List<String> ids = entryIds(answer);
        if (ids.isEmpty()) {
          return Future.succeededFuture(0);
        }
        Request ack = Request.cmd(Command.XACK).arg(STREAM).arg(GROUP);
        ids.forEach(ack::arg);
        client.requests++;
        return client.connection.send(ack).map(Response::toInteger);
      });
    }

    @Override
    int fillBatch() {
      return FILL_BATCH;
    }

    @Override
    Future<Integer> fill(RedisClient client, int count) {
      return client.pipeline(count).map(answers -> count);
    }

    @Override
    String fillUnit() {
      return String.format("pipelines of %d XADD", FILL_BATCH);
    }

    @Override
    String items() {
      return "entries";
    }

    @Override
    List<String> about() {
      return List.of(redis.version() + ", " + String.join(", ", BenchRedis.SETTINGS) + ", loopback, fresh directory");
    }

    @Override
    String leftAtEnd(long backlog) {
      return String.format("entries in the stream at the end: %,d (deleted)", backlog);
    }

    @Override
    public void close() throws Exception {
      try {
        if (!clients.isEmpty()) {
          send(Request.cmd(Command.DEL).arg(STREAM));
        }
      } finally {
        VerticleClient.undeployAll(context.vertx(), clients);
      }
    }
  }

  /** One client: a Redis connection of its own, counting the commands it sent. */
  static final class RedisClient extends VerticleClient {

    private final RedisOptions options;
    final String name;
    RedisConnection connection;

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

    /** {@code count} XADDs of one 100 B body each, written together and answered together. */
    Future<List<Response>> pipeline(int count) {
      List<Request> adds = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        adds.add(Request.cmd(Command.XADD).arg(STREAM).arg("*").arg(FIELD).arg(BODY));
      }
      requests += count;
      return connection.batch(adds);
    }
  }
}

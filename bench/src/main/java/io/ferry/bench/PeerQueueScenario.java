package io.ferry.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The figure Ferry on PostgreSQL is held against: a plain queue table on the same PostgreSQL server, driven
 * by the load generator's own clients straight over the PostgreSQL protocol (one connection per client,
 * one statement per round, each its own transaction with synchronous_commit on). Producers insert batches
 * of 10 bodies of 100 B in one statement; consumers take and delete 10 at a time with
 * {@code FOR UPDATE SKIP LOCKED} from a queue filled before each phase. Runs before Ferry starts, like the
 * ceiling, and leaves a checkpointed server behind so Ferry's rows do not pay for its writes.
 */
final class PeerQueueScenario implements SelfTimedScenario {

  static final String PRODUCE_ID = "peer-produce";
  static final String CONSUME_ID = "peer-consume-ack";
  static final String TABLE = "skip_locked_queue";
  static final String PRODUCE = "INSERT INTO " + TABLE + " (body) VALUES ($1), ($2), ($3), ($4), ($5), ($6), ($7),"
      + " ($8), ($9), ($10)";
  static final String CONSUME = "DELETE FROM " + TABLE + " WHERE id IN (SELECT id FROM " + TABLE
      + " ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 10) RETURNING id, body";
  private static final String FILL = "INSERT INTO " + TABLE + " (body) SELECT $1 FROM generate_series(1, $2)";
  private static final int BATCH = 10;
  private static final int FILL_STATEMENT = 10_000;
  private static final long MIN_BACKLOG = 50_000;
  private static final double HEADROOM = 2;
  private static final Duration CALL = Duration.ofSeconds(120);
  private static final Buffer BODY = Buffer.buffer(Payloads.message().getBytes(StandardCharsets.UTF_8));
  private static final Tuple PRODUCE_ROWS = tenBodies();

  private final boolean produce;

  private PeerQueueScenario(boolean produce) {
    this.produce = produce;
  }

  static PeerQueueScenario produce() {
    return new PeerQueueScenario(true);
  }

  static PeerQueueScenario consume() {
    return new PeerQueueScenario(false);
  }

  /** The peer row a Ferry scenario is compared with, or null when there is none. */
  static String peerOf(Scenario ferryScenario) {
    return switch (ferryScenario.id()) {
      case "batch-push", "batch-push-queues" -> PRODUCE_ID;
      case "pull-ack" -> CONSUME_ID;
      default -> null;
    };
  }

  @Override
  public String id() {
    return produce ? PRODUCE_ID : CONSUME_ID;
  }

  @Override
  public String title() {
    return produce ? "peer: PostgreSQL queue, INSERT 10 × 100 B" : "peer: PostgreSQL queue, SKIP LOCKED DELETE 10";
  }

  @Override
  public String unit() {
    return "msg/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(16);
  }

  @Override
  public Target target() {
    return produce ? Target.reference(42_000, "ref. ≈ 42,000 msg/s (this kind of machine)")
        : Target.reference(11_000, "ref. ≈ 11,000 msg/s (this kind of machine)");
  }

  @Override
  public ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    BenchPostgres pg = context.postgres();
    List<PeerClient> connections = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        PeerClient client = new PeerClient(pg);
        Await.result(context.vertx().deployVerticle(client), CALL);
        connections.add(client);
      }
      PeerClient first = connections.get(0);
      Await.result(first.run("DROP TABLE IF EXISTS " + TABLE), CALL);
      Await.result(first.run("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, body bytea NOT NULL)"), CALL);
      Backlog backlog = new Backlog();
      ScenarioRunner.Measured measured = ScenarioRunner.measure(context, this, 0, errors, notes, (length, best) -> {
        if (!produce) {
          backlog.topUp(connections, length, best);
        }
        return LoadRunner.run(connections, client -> round(client, backlog), length);
      });
      if (!produce) {
        notes.add(String.format("fills before each phase (%,d rows per INSERT ... SELECT): ", FILL_STATEMENT)
            + String.join(", ", backlog.fills));
      }
      notes.add(String.format("rows in the table at the end: %,d (dropped, then CHECKPOINT before Ferry starts)",
          backlog.rows.get()));
      return measured.row(this, clients, errors, notes);
    } finally {
      if (!connections.isEmpty()) {
        PeerClient first = connections.get(0);
        Await.result(first.run("DROP TABLE IF EXISTS " + TABLE).compose(v -> first.run("CHECKPOINT")), CALL);
      }
      for (PeerClient client : connections) {
        Await.result(context.vertx().undeploy(client.deploymentID()), CALL);
      }
    }
  }

  private Future<Integer> round(PeerClient client, Backlog backlog) {
    if (produce) {
      return client.execute(PRODUCE, PRODUCE_ROWS).map(rows -> {
        backlog.rows.addAndGet(BATCH);
        return BATCH;
      });
    }
    return client.execute(CONSUME, Tuple.tuple()).map(taken -> {
      backlog.rows.addAndGet(-taken);
      return taken;
    });
  }

  private static Tuple tenBodies() {
    Tuple tuple = Tuple.tuple();
    for (int i = 0; i < BATCH; i++) {
      tuple.addBuffer(BODY);
    }
    return tuple;
  }

  /** Rows in the table, and the fills that topped it up before the consumers' phases. */
  private static final class Backlog {

    final AtomicLong rows = new AtomicLong();
    final List<String> fills = new ArrayList<>();

    /** Tops the table up to what the coming phase can consume at the best rate seen, with headroom. */
    void topUp(List<PeerClient> clients, Duration phase, double bestRate) throws Exception {
      long wanted = Math.max(MIN_BACKLOG, (long) Math.ceil(bestRate * phase.toNanos() / 1e9 * HEADROOM));
      long missing = wanted - rows.get();
      if (missing <= 0) {
        return;
      }
      long started = System.nanoTime();
      List<Future<Integer>> inserts = new ArrayList<>();
      long left = missing;
      for (int i = 0; left > 0; i++) {
        int count = (int) Math.min(FILL_STATEMENT, left);
        left -= count;
        PeerClient client = clients.get(i % clients.size());
        inserts.add(client.onContext(() -> client.execute(FILL, Tuple.of(BODY, count))));
      }
      Await.result(Future.all(inserts), Duration.ofMinutes(5));
      rows.addAndGet(missing);
      double seconds = (System.nanoTime() - started) / 1e9;
      fills.add(String.format("%,d in %.1f s", missing, seconds));
      System.err.printf("  filled %,d rows in %.1f s%n", missing, seconds);
    }
  }

  /**
   * One peer client: a PostgreSQL connection on an event-loop context of its own (a verticle instance each, as
   * the HTTP clients get their own connections), counting the statements it sent.
   */
  private static final class PeerClient extends VerticleBase implements LoadClient {

    private final PgConnectOptions options;
    private SqlConnection connection;
    private long statements;

    PeerClient(BenchPostgres pg) {
      this.options = new PgConnectOptions().setHost("127.0.0.1").setPort(pg.port())
          .setDatabase(BenchPostgres.DATABASE).setUser(BenchPostgres.USER).setPassword(pg.password())
          .setCachePreparedStatements(true);
    }

    @Override
    public Future<?> start() {
      return PgConnection.connect(vertx, options).onSuccess(c -> connection = c);
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
      return statements;
    }

    /** One statement in its own transaction; answers the rows it returned or changed. */
    Future<Integer> execute(String sql, Tuple arguments) {
      statements++;
      return connection.preparedQuery(sql).execute(arguments).map(SqlResult::rowCount);
    }

    Future<Void> run(String sql) {
      return onContext(() -> connection.query(sql).execute().mapEmpty());
    }

    <T> Future<T> onContext(Supplier<Future<T>> action) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> action.get().onComplete(done));
      return done.future();
    }
  }
}

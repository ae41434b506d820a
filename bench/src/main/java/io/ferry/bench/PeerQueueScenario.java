package io.ferry.bench;

import io.vertx.core.Future;
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

/**
 * The figure Ferry on PostgreSQL is held against: a plain queue table on the same PostgreSQL server, driven
 * by the load generator's own clients straight over the PostgreSQL protocol (one connection per client,
 * one statement per round, each its own transaction with synchronous_commit on). Producers insert batches
 * of 10 bodies of 100 B in one statement; consumers take and delete 10 at a time with
 * {@code FOR UPDATE SKIP LOCKED} from a queue filled before each phase. Runs before Ferry starts, like the
 * ceiling, and leaves a checkpointed server behind so Ferry's rows do not pay for its writes.
 */
final class PeerQueueScenario extends QueueScenario<PeerQueueScenario.PeerClient> {

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
  private static final Duration CALL = Duration.ofSeconds(120);
  private static final Buffer BODY = Buffer.buffer(Payloads.message().getBytes(StandardCharsets.UTF_8));
  private static final Tuple PRODUCE_ROWS = tenBodies();

  private PeerQueueScenario(Shape shape, String id, String title, Target target) {
    super(shape, id, title, List.of(16), target, 0);
  }

  static PeerQueueScenario produce() {
    return new PeerQueueScenario(Shape.PUSH, PRODUCE_ID, "peer: PostgreSQL queue, INSERT 10 × 100 B",
        Target.reference(42_000, "ref. ≈ 42,000 msg/s (this kind of machine)"));
  }

  static PeerQueueScenario consume() {
    return new PeerQueueScenario(Shape.PULL_ACK, CONSUME_ID, "peer: PostgreSQL queue, SKIP LOCKED DELETE 10",
        Target.reference(11_000, "ref. ≈ 11,000 msg/s (this kind of machine)"));
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
  Wire<PeerClient> open(BenchContext context, int clients) throws Exception {
    Table table = new Table(context, context.postgres());
    try {
      for (int i = 0; i < clients; i++) {
        VerticleClient.deploy(context.vertx(), new PeerClient(table.pg), table.clients);
      }
      PeerClient first = table.clients.get(0);
      Await.result(first.run("DROP TABLE IF EXISTS " + TABLE), CALL);
      Await.result(first.run("CREATE TABLE " + TABLE + " (id bigserial PRIMARY KEY, body bytea NOT NULL)"), CALL);
      return table;
    } catch (Exception e) {
      table.close();
      throw e;
    }
  }

  private static Tuple tenBodies() {
    Tuple tuple = Tuple.tuple();
    for (int i = 0; i < BATCH; i++) {
      tuple.addBuffer(BODY);
    }
    return tuple;
  }

  /** The row's queue table, and one connection per simulated client. */
  private static final class Table extends Wire<PeerClient> {

    private final BenchContext context;
    private final BenchPostgres pg;
    private final List<PeerClient> clients = new ArrayList<>();

    Table(BenchContext context, BenchPostgres pg) {
      this.context = context;
      this.pg = pg;
    }

    @Override
    List<PeerClient> clients() {
      return clients;
    }

    @Override
    Future<Integer> push(PeerClient client) {
      return client.execute(PRODUCE, PRODUCE_ROWS).map(rows -> BATCH);
    }

    @Override
    Future<Integer> pullAndAck(PeerClient client) {
      return client.execute(CONSUME, Tuple.tuple());
    }

    @Override
    int fillBatch() {
      return FILL_STATEMENT;
    }

    @Override
    Future<Integer> fill(PeerClient client, int count) {
      return client.execute(FILL, Tuple.of(BODY, count));
    }

    @Override
    String fillUnit() {
      return String.format("%,d rows per INSERT ... SELECT", FILL_STATEMENT);
    }

    @Override
    String items() {
      return "rows";
    }

    @Override
    String leftAtEnd(long backlog) {
      return String.format("rows in the table at the end: %,d (dropped, then CHECKPOINT before Ferry starts)",
          backlog);
    }

    @Override
    public void close() throws Exception {
      try {
        if (!clients.isEmpty()) {
          PeerClient first = clients.get(0);
          Await.result(first.run("DROP TABLE IF EXISTS " + TABLE).compose(v -> first.run("CHECKPOINT")), CALL);
        }
      } finally {
        VerticleClient.undeployAll(context.vertx(), clients);
      }
    }
  }

  /** One peer client: a PostgreSQL connection of its own, counting the statements it sent. */
  static final class PeerClient extends VerticleClient {

    private final PgConnectOptions options;
    private SqlConnection connection;

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

    /** One statement in its own transaction; answers the rows it returned or changed. */
    Future<Integer> execute(String sql, Tuple arguments) {
      requests++;
      return connection.preparedQuery(sql).execute(arguments).map(SqlResult::rowCount);
    }

    Future<Void> run(String sql) {
      return onContext(this, () -> connection.query(sql).execute().mapEmpty());
    }
  }
}

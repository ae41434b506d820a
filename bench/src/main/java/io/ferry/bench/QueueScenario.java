package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Producers or consumers on one queue, closed loop: Ferry's pull + ack row and the rows of the peers doing the
 * same work (Redis Streams, ElasticMQ, a PostgreSQL table). Only the wire calls differ, in each system's
 * {@link Wire}; the rounds, the backlog filled before each consumers' phase and the notes are the same code
 * for all, so their figures stay comparable.
 */
abstract class QueueScenario<C extends LoadClient> implements SelfTimedScenario {

  enum Shape { PUSH, PULL_ACK }

  private static final long MIN_BACKLOG = 50_000;
  private static final double HEADROOM = 2;
  private static final Duration FILL = Duration.ofMinutes(5);
  private static final Target PEER = Target.reference(0, "— (peer; Ferry ÷ peer in Ferry's row)");

  private final Shape shape;
  private final String id;
  private final String title;
  private final List<Integer> clientCounts;
  private final Target target;
  private final double firstGuessPerSecond;
  // The best rate of this scenario's earlier rows, as the runner carries it for round scenarios.
  private double bestRate;

  /** {@code firstGuessPerSecond}: the rate the first fill is sized for, before anything was measured. */
  QueueScenario(Shape shape, String id, String title, List<Integer> clientCounts, Target target,
      double firstGuessPerSecond) {
    this.shape = shape;
    this.id = id;
    this.title = title;
    this.clientCounts = clientCounts;
    this.target = target;
    this.firstGuessPerSecond = firstGuessPerSecond;
  }

  /** A peer of Ferry's row of the same work: its client counts, compared in Ferry's row, no target of its own. */
  QueueScenario(Shape shape, String id, String title) {
    this(shape, id, title, List.of(16, 64), PEER, 0);
  }

  /** The row's queue and its clients, connected; throws {@link Unavailable} when the system did not start. */
  abstract Wire<C> open(BenchContext context, int clients) throws Exception;

  /** Whether the row drives Ferry (so that {@code --profile} samples it), not a peer. */
  boolean drivesFerry() {
    return false;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String title() {
    return title;
  }

  @Override
  public final String unit() {
    return "msg/s";
  }

  @Override
  public final List<Integer> clientCounts() {
    return clientCounts;
  }

  @Override
  public final Target target(int clients) {
    return target;
  }

  @Override
  public final ScenarioResult measure(BenchContext context, int clients, ErrorTally errors, List<String> notes)
      throws Exception {
    Wire<C> wire;
    try {
      wire = open(context, clients);
    } catch (Unavailable e) {
      return ScenarioResult.skipped(this, clients, e.getMessage());
    }
    try (wire) {
      List<String> fills = new ArrayList<>();
      Function<C, Future<Integer>> round = shape == Shape.PUSH
          ? client -> wire.push(client).map(pushed -> count(wire.pushed, pushed))
          : client -> wire.pullAndAck(client).map(acked -> count(wire.acked, acked));
      ScenarioRunner.Measured measured = ScenarioRunner.measure(context, this, bestRate, errors, notes,
          (length, best) -> {
            if (shape == Shape.PULL_ACK) {
              topUp(wire, length, best, fills);
            }
            return LoadRunner.run(wire.clients(), round, length);
          }, drivesFerry() ? id + "-" + clients : null);
      measured.runs().forEach(run -> bestRate = Math.max(bestRate, run.itemsPerSecond()));
      notes.addAll(wire.about());
      if (shape == Shape.PULL_ACK) {
        notes.add("fills before each phase (" + wire.fillUnit() + "): " + String.join(", ", fills));
      }
      notes.addAll(wire.warnings());
      notes.add(wire.leftAtEnd(wire.backlog()));
      return measured.row(this, clients, errors, notes);
    }
  }

  private static int count(AtomicLong counter, int items) {
    counter.addAndGet(items);
    return items;
  }

  /** Tops the backlog up to what the coming phase can consume at the best rate seen, with headroom. */
  private void topUp(Wire<C> wire, Duration phase, double best, List<String> fills) throws Exception {
    double rate = best > 0 ? best : firstGuessPerSecond;
    long wanted = Math.max(MIN_BACKLOG, (long) Math.ceil(rate * phase.toNanos() / 1e9 * HEADROOM));
    long missing = wanted - wire.backlog();
    if (missing <= 0) {
      return;
    }
    long started = System.nanoTime();
    AtomicLong remaining = new AtomicLong(missing);
    List<Future<Void>> fillers = new ArrayList<>();
    for (C client : wire.clients()) {
      fillers.add(onContext(client, () -> fill(wire, client, remaining)));
    }
    Await.result(Future.all(fillers), FILL);
    double seconds = (System.nanoTime() - started) / 1e9;
    fills.add(String.format("%,d in %.1f s", missing, seconds));
    System.err.printf("  filled %,d %s in %.1f s%n", missing, wire.items(), seconds);
  }

  private Future<Void> fill(Wire<C> wire, C client, AtomicLong remaining) {
    long left = remaining.getAndAdd(-wire.fillBatch());
    if (left <= 0) {
      return Future.succeededFuture();
    }
    return wire.fill(client, (int) Math.min(wire.fillBatch(), left)).compose(added -> {
      wire.pushed.addAndGet(added);
      return fill(wire, client, remaining);
    });
  }

  /** Runs {@code action} on the client's own context, where its connection lives. */
  static <T> Future<T> onContext(LoadClient client, Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    client.context().runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  /** The system measured could not be started: the row is skipped with this reason. */
  static final class Unavailable extends Exception {

    Unavailable(String reason) {
      super(reason);
    }
  }

  /**
   * One row's queue on the system measured and the clients connected to it: the wire calls. Rounds and fills
   * run on the client's context; what they answer is counted by the scenario.
   */
  abstract static class Wire<C extends LoadClient> implements AutoCloseable {

    final AtomicLong pushed = new AtomicLong();
    final AtomicLong acked = new AtomicLong();

    abstract List<C> clients();

    /** One producer round; answers how many messages the system took. */
    abstract Future<Integer> push(C client);

    /** One consumer round: take a batch, then acknowledge it; answers how many messages were acked. */
    abstract Future<Integer> pullAndAck(C client);

    /** Most messages one fill request adds. */
    abstract int fillBatch();

    /** One fill request of {@code count} messages (at most {@link #fillBatch()}); answers how many it added. */
    abstract Future<Integer> fill(C client, int count);

    /** How the notes call a fill request, e.g. {@code pipelines of 100 XADD}. */
    abstract String fillUnit();

    /** What one message is in this system, for the progress lines: messages, entries, rows. */
    String items() {
      return "messages";
    }

    /** The note on what the row left behind, e.g. {@code messages left at the end: 12 (...)}. */
    abstract String leftAtEnd(long backlog);

    /** Notes on the system itself (version, settings), before the fills. */
    List<String> about() throws Exception {
      return List.of();
    }

    /** Notes that make the figure suspect, after the fills. */
    List<String> warnings() {
      return List.of();
    }

    /** Messages pushed and not acked yet. */
    long backlog() {
      return pushed.get() - acked.get();
    }
  }
}

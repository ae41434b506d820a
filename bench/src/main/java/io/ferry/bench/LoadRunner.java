package io.ferry.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Closed-loop load: every client sends its next round as soon as the previous one is answered, until the
 * phase ends. A round counts if it completes inside the phase; the rate is items over the phase length.
 */
final class LoadRunner {

  // After a failed round a client waits a little, so a persistent error does not become a busy loop.
  private static final long ERROR_PAUSE_MS = 20;
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private LoadRunner() {
  }

  static PhaseResult run(List<ClientConnection> clients, Workload workload, Duration duration) throws Exception {
    return run(clients, workload::round, duration);
  }

  /** The same loop for clients that are not HTTP connections (the PostgreSQL peer's). */
  static <C extends LoadClient> PhaseResult run(List<C> clients, Function<C, Future<Integer>> round,
      Duration duration) throws Exception {
    CpuSampler.Sample cpuBefore = CpuSampler.take();
    long deadline = System.nanoTime() + duration.toNanos();
    CountDownLatch finished = new CountDownLatch(clients.size());
    ErrorTally errors = new ErrorTally();
    List<ClientLoop<C>> loops = new ArrayList<>();
    for (C client : clients) {
      ClientLoop<C> loop = new ClientLoop<>(client, round, deadline, finished, errors);
      loops.add(loop);
      client.context().runOnContext(v -> loop.next());
    }
    if (!finished.await(duration.plus(DRAIN).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("clients still waiting for answers " + DRAIN.toSeconds()
          + " s after the phase ended (" + finished.getCount() + " of " + clients.size() + ")");
    }
    CpuSampler.Sample cpuAfter = CpuSampler.take();
    double foreignCpu = CpuSampler.foreignShare(cpuBefore, cpuAfter);
    LatencyHistogram latency = new LatencyHistogram();
    long items = 0;
    long rounds = 0;
    long idleRounds = 0;
    long requests = 0;
    for (ClientLoop<C> loop : loops) {
      latency.add(loop.latency);
      items += loop.items;
      rounds += loop.rounds;
      idleRounds += loop.idleRounds;
      requests += loop.requests;
    }
    return new PhaseResult(items, rounds, idleRounds, requests, duration.toNanos() / 1e9, latency, errors,
        foreignCpu, CpuSampler.watchedSeconds(cpuBefore, cpuAfter));
  }

  /** One client's loop; its fields are only touched on the client's context, then read after the latch. */
  private static final class ClientLoop<C extends LoadClient> {

    final C client;
    final Function<C, Future<Integer>> round;
    final long deadline;
    final CountDownLatch finished;
    final ErrorTally errors;
    final LatencyHistogram latency = new LatencyHistogram();
    long items;
    long rounds;
    long idleRounds;
    long requests;

    ClientLoop(C client, Function<C, Future<Integer>> round, long deadline, CountDownLatch finished,
        ErrorTally errors) {
      this.client = client;
      this.round = round;
      this.deadline = deadline;
      this.finished = finished;
      this.errors = errors;
    }

    void next() {
      long start = System.nanoTime();
      if (start >= deadline) {
        finished.countDown();
        return;
      }
      long requestsBefore = client.requests();
      round().onComplete(done -> {
        long end = System.nanoTime();
        if (done.failed()) {
          errors.record(done.cause());
          client.context().owner().setTimer(ERROR_PAUSE_MS, t -> next());
          return;
        }
        if (end <= deadline) {
          items += done.result();
          rounds++;
          if (done.result() == 0) {
            idleRounds++;
          }
          requests += client.requests() - requestsBefore;
          latency.recordNanos(end - start);
        }
        next();
      });
    }

    private Future<Integer> round() {
      try {
        return round.apply(client);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
  }
}

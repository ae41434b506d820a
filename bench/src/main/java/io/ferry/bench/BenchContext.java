package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * What scenarios share: the load generator's Vert.x and HTTP client, the options, and Ferry, started on
 * first use so that the ceiling is measured with no Ferry JVM around.
 */
final class BenchContext implements AutoCloseable {

  // What a JVM that ends because of SIGTERM exits with (128 + 15) when no hook calls System.exit.
  private static final int SIGTERM_EXIT = 143;

  private final BenchOptions options;
  private final Vertx vertx;
  private final HttpClientAgent agent;
  private final List<String> problems = new ArrayList<>();
  private FerryUnderTest ferry;

  BenchContext(BenchOptions options) {
    this.options = options;
    this.vertx = Vertx.vertx();
    this.agent = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setMaxInitialLineLength(8192));
  }

  BenchOptions options() {
    return options;
  }

  HttpClientAgent agent() {
    return agent;
  }

  /** The load generator's Vert.x, for clients other than the shared HTTP agent (WebSocket subscribers). */
  Vertx vertx() {
    return vertx;
  }

  synchronized FerryUnderTest ferry() throws Exception {
    if (ferry == null) {
      System.err.println("starting Ferry (" + options.ferryJar() + ")");
      ferry = FerryUnderTest.start(options.ferryJar(), options.ferryJvmOptions(), agent);
      PhaseResult warmUp = FerryWarmUp.run(ferry, this, options.ferryWarmup());
      System.err.printf("warmed Ferry up: %d s of mixed push, pull and ack, %,.0f req/s on average, %d errors%n",
          options.ferryWarmup().toSeconds(), warmUp.requestsPerSecond(), warmUp.errors().total());
      warmUp.errors().kinds().forEach((kind, n) -> problem("Ferry warm-up: " + n + " × " + kind));
    }
    return ferry;
  }

  synchronized boolean ferryStarted() {
    return ferry != null;
  }

  /** Something that did not go as it should, for the report (a failed stop, a failed cleanup). */
  synchronized void problem(String text) {
    System.err.println("problem: " + text);
    problems.add(text);
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** For the JVM shutdown hook: no child process outlives the bench. */
  synchronized void killChildren() {
    if (ferry != null) {
      ferry.kill();
    }
  }

  @Override
  public synchronized void close() {
    if (ferry != null) {
      try {
        int exit = ferry.stop();
        if (exit != 0 && exit != SIGTERM_EXIT) {
          problem("Ferry exited with " + exit + " after SIGTERM:\n" + ferry.outputTail());
        }
      } catch (Exception e) {
        problem("Ferry did not stop cleanly: " + e.getMessage());
      }
      ferry = null;
    }
    vertx.close();
  }
}

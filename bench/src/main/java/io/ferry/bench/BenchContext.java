package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What scenarios share: the load generator's Vert.x and HTTP client, the options, and Ferry, started on
 * first use so that the ceiling is measured with no Ferry JVM around; with {@code --storage postgres} also
 * the PostgreSQL server Ferry and the SKIP LOCKED peer use, started on first use as well.
 */
final class BenchContext implements AutoCloseable {

  // What a JVM that ends because of SIGTERM exits with (128 + 15) when no hook calls System.exit.
  private static final int SIGTERM_EXIT = 143;
  static final String FERRY_CPU = "ferry";
  static final String POSTGRES_CPU = "postgres";
  static final String REDIS_CPU = "redis";

  private final BenchOptions options;
  private final Vertx vertx;
  private final HttpClientAgent agent;
  private final List<String> problems = new ArrayList<>();
  private FerryUnderTest ferry;
  private FerryProfiler profiler;
  private BenchPostgres postgres;
  private String postgresDescription;
  private BenchRedis redis;
  private String redisFailure;

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
      ferry = FerryUnderTest.start(options.ferryJar(), options.ferryJvmOptions(), agent, storageEnvironment());
      CpuSampler.watch(FERRY_CPU, ferry.process());
      warmUp(ferry);
    }
    return ferry;
  }

  /**
   * With {@code --cluster}: from now on the scenarios drive {@code running} (a cluster's proxy), which is warmed
   * up as a started Ferry is; the caller watches its processes' CPU. Replaces nothing: call {@link #detachFerry}
   * before attaching the next one.
   */
  synchronized void attachFerry(FerryUnderTest running) throws Exception {
    if (ferry != null) {
      throw new IllegalStateException("a Ferry is attached already");
    }
    ferry = running;
    warmUp(running);
  }

  /** Forgets the attached Ferry (closing the bench's management connection to it; its processes run on). */
  synchronized void detachFerry() throws Exception {
    if (ferry != null) {
      ferry.stop();
      ferry = null;
    }
  }

  private void warmUp(FerryUnderTest target) throws Exception {
    PhaseResult warmUp = FerryWarmUp.run(target, this, options.ferryWarmup());
    System.err.printf("warmed Ferry up: %d s of mixed push, pull and ack, %,.0f req/s on average, %d errors%n",
        options.ferryWarmup().toSeconds(), warmUp.requestsPerSecond(), warmUp.errors().total());
    warmUp.errors().kinds().forEach((kind, n) -> problem("Ferry warm-up: " + n + " × " + kind));
  }

  synchronized boolean ferryStarted() {
    return ferry != null;
  }

  /**
   * With {@code --profile}: starts sampling the started Ferry's CPU, stacks kept under {@code profiles/} beside
   * the report; null without {@code --profile}.
   */
  synchronized FerryProfiler.Session startProfile() throws Exception {
    if (!options.profile() || ferry == null) {
      return null;
    }
    if (profiler == null) {
      Path reports = options.output().toAbsolutePath().getParent();
      profiler = FerryProfiler.forJvm(ferry.process().pid(), reports.resolve("profiles"));
    }
    return profiler.start();
  }

  /**
   * The bench's Redis server ({@code --peers} only), started on first use; once it failed to start, every
   * later call fails with the same reason without trying again.
   */
  synchronized BenchRedis redis() {
    if (redisFailure != null) {
      throw new IllegalStateException(redisFailure);
    }
    if (redis == null) {
      try {
        redis = BenchRedis.start();
      } catch (Exception e) {
        redisFailure = ErrorTally.describe(e);
        throw new IllegalStateException(redisFailure, e);
      }
      CpuSampler.watch(REDIS_CPU, redis.process());
      System.err.println(redis.version() + " on port " + redis.port());
    }
    return redis;
  }

  /** The bench's PostgreSQL server ({@code --storage postgres} only), started on first use. */
  synchronized BenchPostgres postgres() throws Exception {
    if (!options.onPostgres()) {
      throw new IllegalStateException("PostgreSQL runs only with --storage postgres");
    }
    if (postgres == null) {
      System.err.println("starting PostgreSQL (" + String.join(", ", BenchPostgres.SETTINGS) + ")");
      postgres = BenchPostgres.start();
      CpuSampler.watch(POSTGRES_CPU, postgres.process());
      postgresDescription = postgres.version() + ", " + String.join(", ", BenchPostgres.SETTINGS)
          + " (the rest PostgreSQL's defaults), data under " + postgres.dataDir().getParent().getParent();
      System.err.println(postgres.version() + " on port " + postgres.port() + ", data in " + postgres.dataDir());
    }
    return postgres;
  }

  /** What the report says about the PostgreSQL server, or null when none ran. */
  synchronized String postgresDescription() {
    return postgresDescription;
  }

  private Map<String, String> storageEnvironment() throws Exception {
    if (!options.onPostgres()) {
      return Map.of();
    }
    BenchPostgres pg = postgres();
    return Map.of("FERRY_STORAGE_KIND", "postgres",
        "FERRY_STORAGE_POSTGRES_URL", pg.url(),
        "FERRY_STORAGE_POSTGRES_PASSWORD", pg.password());
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
    if (postgres != null) {
      postgres.kill();
    }
    if (redis != null) {
      redis.kill();
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
      CpuSampler.unwatch(FERRY_CPU);
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
      CpuSampler.unwatch(POSTGRES_CPU);
    }
    if (redis != null) {
      redis.close();
      redis = null;
      CpuSampler.unwatch(REDIS_CPU);
    }
    vertx.close();
  }
}

package io.ferry.system;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL taken away under load from the standalone jar running on it, once shut down cleanly and once
 * crashed (immediate shutdown): meanwhile each dialect answers 503 with Retry-After in its own format within the
 * connect and statement timeouts (504 for a push whose COMMIT was in flight as it went: in doubt), and readiness is DOWN; once PostgreSQL is back, Ferry serves again by itself,
 * without a restart, and the clients' ledger holds: nothing answered 200 lost, no acked message redelivered.
 */
class PostgresOutageIT {

  static final CrashLoadDriver.Plan PLAN = new CrashLoadDriver.Plan("postgres-outage",
      2, 2, 20, 4, 50, 1_500, 40, 2, 3_000, Duration.ofSeconds(2), Duration.ofSeconds(4), 4_000,
      Duration.ofSeconds(150));
  // Short enough to bound the answers during an outage, long enough for a cold start on a loaded machine.
  static final long CONNECT_TIMEOUT_MS = 2_000;
  static final long STATEMENT_TIMEOUT_MS = 5_000;
  // An answer may wait for one connect attempt and one statement, plus the time of a loaded two-core machine.
  static final Duration ANSWER_WITHIN = Duration.ofMillis(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 2_000);
  static final Duration OUTAGE = Duration.ofSeconds(3);
  static final Duration RECOVERY = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void requestsAre503WhilePostgresIsAwayAndServiceResumesByItselfLosingNothing() throws Exception {
    try (TestPostgres postgres = TestPostgres.startOwn()) {
      Map<String, String> env = new HashMap<>(PostgresStorage.env(postgres, postgres.freshSchema()));
      env.put("FERRY_STORAGE_POSTGRES_CONNECT_TIMEOUT_MS", Long.toString(CONNECT_TIMEOUT_MS));
      env.put("FERRY_STORAGE_POSTGRES_STATEMENT_TIMEOUT_MS", Long.toString(STATEMENT_TIMEOUT_MS));
      Outages outages = new Outages(postgres);
      CrashLoadDriver driver = new CrashLoadDriver(PLAN, dir, env, outages);

      driver.run();

      MessageLedger ledger = driver.ledger();
      assertEquals(PLAN.kills(), outages.count, "outages");
      assertTrue(outages.refused > 0, "no request was made during the outages");
      // 504: a push whose COMMIT was in flight when PostgreSQL went away is in doubt (the ledger counts it so).
      assertTrue(Set.of(503, 504).containsAll(ledger.errorStatuses.keySet()),
          "the load saw other errors than 503 and 504: " + ledger.errorStatuses);
      assertEquals(0, ledger.pushRequestsInDoubt.get(), "pushes left unanswered (hung or cut off)");
      assertEquals(0, ledger.pullRequestsFailed.get(), "pulls left unanswered (hung or cut off)");
    }
  }

  /** Each disruption takes PostgreSQL away for a few seconds: stopped cleanly the first time, then crashed. */
  private static final class Outages implements CrashLoadDriver.Disruption {

    private final TestPostgres postgres;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    private Probes probes;
    int count;
    int refused;

    Outages(TestPostgres postgres) {
      this.postgres = postgres;
    }

    @Override
    public void disrupt(CrashLoadDriver driver) throws Exception {
      FerryProcess ferry = driver.ferry();
      if (probes == null) {
        probes = Probes.create(ferry.baseUrl());
      }
      boolean crash = count++ % 2 == 1;
      if (crash) {
        postgres.crash();
      } else {
        postgres.stop();
      }
      // Messaging drops its leases and reloads its state once the database is back, as at a restart.
      driver.ledger().killed();
      long down = System.nanoTime();
      long until = down + OUTAGE.toNanos();
      int refusedBefore = refused;
      long slowestNs = 0;
      do {
        assertReadiness(ferry, 503, "DOWN");
        for (Probe probe : probes.all()) {
          long sent = System.nanoTime();
          HttpResponse<String> answer = timed(probe.request());
          slowestNs = Math.max(slowestNs, System.nanoTime() - sent);
          try {
            assertError(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null),
                answer.body(), probe.dialect(), ErrorCode.UNAVAILABLE, "");
            assertRetryAfter(answer.headers().firstValue("Retry-After").orElse(null), ErrorCode.UNAVAILABLE,
                answer.body());
          } catch (AssertionError wrong) {
            throw new AssertionError(probe.name() + " during outage " + count + ": " + wrong.getMessage(), wrong);
          }
          refused++;
        }
        // The outage's length is what is under test here: probe it now and then, not in a busy loop.
        Thread.sleep(200);
      } while (System.nanoTime() < until);

      postgres.start();
      long back = System.nanoTime();
      ferry.awaitReady(RECOVERY);
      long ready = System.nanoTime();
      for (Probe probe : probes.all()) {
        Awaitility.await(probe.name() + " serves again").atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
            .until(() -> timed(probe.request()).statusCode() == probe.okStatus());
      }
      System.out.printf("%s outage %d (%s): %d probes refused 503 over %d ms (slowest answer %d ms); once"
              + " PostgreSQL was back, Ferry ready after %d ms, serving every probe after %d ms%n", PLAN.name(), count,
          crash ? "crash" : "stop", refused - refusedBefore, ms(back - down), ms(slowestNs), ms(ready - back),
          ms(System.nanoTime() - back));
    }

    private static long ms(long nanos) {
      return nanos / 1_000_000;
    }

    private void assertReadiness(FerryProcess ferry, int status, String state) throws Exception {
      HttpResponse<String> ready = timed(HttpRequest.newBuilder(URI.create(ferry.baseUrl() + "/health/ready"))
          .build());
      assertEquals(status, ready.statusCode(), ready.body());
      assertEquals(state, new JsonObject(ready.body()).getString("status"), ready.body());
    }

    // Answered within the timeouts Ferry was given for PostgreSQL, never left hanging.
    private HttpResponse<String> timed(HttpRequest request) throws Exception {
      HttpRequest bounded = HttpRequest.newBuilder(request, (name, value) -> true)
          .timeout(ANSWER_WITHIN).build();
      return client.send(bounded, HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A request in one dialect, on a queue of its own, and the status it is answered with when it succeeds. */
  private record Probe(String name, Dialect dialect, HttpRequest request, int okStatus) {
  }

  /** One write per dialect and an admin read, on queues made while PostgreSQL was up. */
  private record Probes(List<Probe> all) {

    static Probes create(String base) throws Exception {
      String key = CrashLoadDriver.KEY;
      HttpJson http = new HttpJson(key);
      String account = SkeletonFlow.accountId(http, base);
      HttpJson.Reply cf = http.post(base + "/client/v4/accounts/" + account + "/queues",
          new JsonObject().put("queue_name", "outage-cloudflare"));
      assertEquals(200, cf.status(), cf::toString);
      HttpJson.Reply discue = http.post(base + "/v1/queues", new JsonObject().put("name", "outage-discue"));
      assertEquals(200, discue.status(), discue::toString);
      assertEquals(201, http.post(base + "/queue/create/outage-sonya", null).status());
      String cfQueue = base + "/client/v4/accounts/" + account + "/queues/" + cf.result().getString("queue_id");
      String discueQueue = base + "/v1/queues/" + discue.object().getJsonObject("queue").getString("id");
      return new Probes(List.of(
          new Probe("cloudflare push", Dialect.CLOUDFLARE, post(cfQueue + "/messages", key,
              new JsonObject().put("body", "probe")), 200),
          new Probe("discue push", Dialect.DISCUE, post(discueQueue + "/messages", key,
              new JsonObject().put("data", "probe")), 200),
          new Probe("sonya send", Dialect.SONYA, post(base + "/queue/send/outage-sonya", key,
              new JsonObject().put("id", "probe").put("payload", new JsonObject().put("probe", true))), 200),
          new Probe("cloudflare queue read", Dialect.CLOUDFLARE, HttpRequest.newBuilder(URI.create(cfQueue))
              .header("Authorization", "Bearer " + key).build(), 200)));
    }

    private static HttpRequest post(String url, String key, JsonObject body) {
      return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build();
    }
  }
}

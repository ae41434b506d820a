package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.testkit.MetricsScrape;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every webhook attempt is counted by its outcome, per listener, with its latency; misses on their own. */
class WebhookMetersTest extends DispatcherTestBase {

  @Override
  Vertx newVertx() {
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  @Test
  void aDeliveredWebhookCounts2xxAndItsLatency() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));

    waitUntil("the message is acked").until(() -> messaging.acked() == 1);
    waitUntil("the attempt is counted").until(() -> attempts(listener, "2xx") == 1);
    MetricsScrape scrape = scrape();
    assertEquals(1, scrape.valueOr("ferry_webhook_attempt_duration_seconds_count", labels(listener), -1));
    assertEquals(1, scrape.valueOr("ferry_webhook_attempt_duration_seconds_bucket",
        Map.of("listener", listener.id(), "le", "10.0"), -1), "within the largest bucket");
    assertEquals(0, scrape.valueOr("ferry_webhook_attempts_total", Map.of("listener", listener.id(),
        "outcome", "5xx"), -1));
  }

  @Test
  void a500OnTheLastAttemptCounts5xxAndAMiss() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(500).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", MAX_ATTEMPTS);
    await(module.start(vertx));

    waitUntil("the message is missed").until(() -> messaging.missed().size() == 1);
    waitUntil("the attempt is counted").until(() -> attempts(listener, "5xx") == 1);
    assertEquals(1, scrape().valueOr("ferry_webhook_missed_total", labels(listener), -1));
  }

  @Test
  void a404Counts4xx() throws Exception {
    receiver.respond("/hook", r -> r.response().setStatusCode(404).end());
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));

    waitUntil("the attempt is counted").until(() -> attempts(listener, "4xx") == 1);
    assertEquals(0, scrape().valueOr("ferry_webhook_missed_total", labels(listener), -1));
  }

  @Test
  void aReceiverThatNeverAnswersCountsATimeout() throws Exception {
    module = DispatcherModule.create(configWith(300, LOOPBACK), NO_JITTER);
    receiver.respond("/hook", r -> { });
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));

    waitUntil("the attempt is counted").until(() -> attempts(listener, "timeout") == 1);
  }

  @Test
  void anAddressTheSsrfPolicyRefusesCountsRefused() throws Exception {
    module = DispatcherModule.create(configWith(REQUEST_TIMEOUT_MS, List.of()), NO_JITTER);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));

    waitUntil("the attempt is counted").until(() -> attempts(listener, "refused") == 1);
    assertEquals(0, scrape().valueOr("ferry_webhook_attempt_duration_seconds_count", labels(listener), -1),
        "a refused attempt never reached a receiver");
  }

  @Test
  void aListenerNoWorkerServesHasNoSeries() throws Exception {
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));
    waitUntil("the attempt is counted").until(() -> attempts(listener, "2xx") == 1);

    await(module.stop());
    assertFalse(scrape().anyLabelled("listener", listener.id()));
  }

  private static DispatcherConfig configWith(int requestTimeoutMs, List<String> allowList) {
    return DispatcherConfigs.of(new JsonObject()
        .put("dispatcher.request-timeout-ms", requestTimeoutMs)
        .put("dispatcher.max-in-flight-per-listener", MAX_IN_FLIGHT)
        .put("dispatcher.lease-wait-ms", LEASE_WAIT_MS)
        .put("dispatcher.max-attempts", MAX_ATTEMPTS)
        .put("dispatcher.retry-initial-ms", 60_000)
        .put("webhooks.allow-list", new JsonArray(allowList)));
  }

  private static Map<String, String> labels(ListenerInfo listener) {
    return Map.of("queue", listener.queueId(), "listener", listener.id());
  }

  private static double attempts(ListenerInfo listener, String outcome) {
    return scrape().valueOr("ferry_webhook_attempts_total", Map.of("queue", listener.queueId(),
        "listener", listener.id(), "outcome", outcome), -1);
  }

  private static MetricsScrape scrape() {
    return MetricsScrape.of(((PrometheusMeterRegistry) BackendRegistries.getDefaultNow()).scrape());
  }
}

package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.contracts.testkit.Ports;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every attempt is reported to admin over the bus, with what a person needs to see why a delivery failed. */
class AttemptReportTest extends DispatcherTestBase {

  private final List<WebhookAttempt> reported = new CopyOnWriteArrayList<>();

  private void collectReports() throws Exception {
    await(Bus.serve(vertx, Endpoints.WEBHOOK_ATTEMPTS_RECORD, batch -> {
      reported.addAll(batch.attempts());
      return Future.<Void>succeededFuture();
    }).map(consumer -> null));
  }

  @Test
  void attemptsAreReportedWithStatusLatencyAndAnExcerptOfAtMostOneKiB() throws Exception {
    collectReports();
    receiver.respond("/fail", r -> r.response().setStatusCode(503).end("é".repeat(1_000)));
    receiver.respond("/ok", r -> r.response().setStatusCode(200).end("thanks"));
    ListenerInfo failing = serve(listener("q1", receiver.url("/fail")));
    ListenerInfo healthy = serve(listener("q1", receiver.url("/ok")));
    LeasedMessage first = messaging.offerJson("q1", failing.id(), "{}", 1);
    LeasedMessage third = messaging.offerJson("q1", healthy.id(), "{}", 3);
    await(module.start(vertx));
    waitUntil("both attempts are reported").until(() -> reported.size() == 2);

    WebhookAttempt failed = of(failing);
    assertTrue(Ids.isValid(failed.id()));
    assertEquals("q1", failed.queueId());
    assertEquals(first.message().id(), failed.messageId());
    assertEquals(1, failed.attempt());
    assertEquals("5xx", failed.outcome());
    assertEquals(503, failed.statusCode());
    assertNull(failed.error());
    assertTrue(failed.latencyMs() >= 0 && failed.latencyMs() < REQUEST_TIMEOUT_MS, "latency " + failed.latencyMs());
    assertTrue(Math.abs(System.currentTimeMillis() - failed.timestampMs()) < 60_000);
    // 1 KiB of a body of two-byte characters: 512 of them.
    assertEquals("é".repeat(512), failed.responseExcerpt());

    WebhookAttempt delivered = of(healthy);
    assertEquals(third.message().id(), delivered.messageId());
    assertEquals(3, delivered.attempt());
    assertEquals("2xx", delivered.outcome());
    assertEquals(200, delivered.statusCode());
    assertEquals("thanks", delivered.responseExcerpt());
  }

  private WebhookAttempt of(ListenerInfo listener) {
    return reported.stream().filter(a -> a.listenerId().equals(listener.id())).findFirst().orElseThrow();
  }

  @Test
  void anAttemptWithoutAnswerReportsWhyAndNoStatus() throws Exception {
    collectReports();
    String closedPort = "http://127.0.0.1:" + Ports.free() + "/hook";
    ListenerInfo listener = serve(listener("q1", closedPort));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));
    waitUntil("the attempt is reported").until(() -> !reported.isEmpty());

    WebhookAttempt refused = reported.get(0);
    assertEquals(leased.message().id(), refused.messageId());
    assertEquals("error", refused.outcome());
    assertNull(refused.statusCode());
    assertNull(refused.responseExcerpt());
    assertTrue(refused.error() != null && !refused.error().isBlank(), "says why: " + refused.error());
    assertTrue(!refused.error().contains(closedPort), "no URL in the error: " + refused.error());
  }

  @Test
  void aReceiverThatStallsInTheMiddleOfItsBodyTimesOutAtTheExchangesDeadline() throws Exception {
    collectReports();
    AtomicInteger dropped = new AtomicInteger();
    receiver.respond("/hook", r -> {
      r.response().closeHandler(closed -> dropped.incrementAndGet());
      // A status and a first chunk, then nothing: one deadline covers the whole exchange, the body too.
      r.response().setStatusCode(200).setChunked(true).write("{\"partial\":");
    });
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);
    await(module.start(vertx));
    waitUntil("the attempt is reported").until(() -> !reported.isEmpty());

    WebhookAttempt stalled = reported.get(0);
    assertEquals(leased.message().id(), stalled.messageId());
    assertEquals("timeout", stalled.outcome());
    assertNull(stalled.statusCode());
    assertEquals("no answer within " + REQUEST_TIMEOUT_MS + " ms", stalled.error());
    assertTrue(stalled.latencyMs() >= REQUEST_TIMEOUT_MS, "latency " + stalled.latencyMs());
    waitUntil("the dispatcher drops the stalled connection").until(() -> dropped.get() == 1);
  }
}

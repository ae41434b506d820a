package io.ferry.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.ferry.system.ScriptedReceiver.Answer;
import io.ferry.system.ScriptedReceiver.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery through the standalone jar against receivers that fail, time out, reset connections,
 * redirect, answer slowly, answer 410 and 429 with Retry-After, and whose liveness goes down: every message
 * ends delivered or missed, as the listener object shows, and missed ones can be redelivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryIT {

  static final String KEY = "fry_webhook-delivery-key-0123456789abcd";
  static final Duration START = Duration.ofSeconds(60);
  static final Duration SETTLED = Duration.ofSeconds(30);
  static final int MAX_ATTEMPTS = 3;
  static final long LIVENESS_INTERVAL_MS = 300;

  @TempDir
  static Path dir;
  FerryProcess ferry;
  ScriptedReceiver receiver;
  HttpJson http;

  /** A listener as the tests use it: its queue, id and signing secret. */
  record Hook(String name, String queueId, String listenerId, String secret) {
  }

  @BeforeAll
  void start() throws Exception {
    receiver = new ScriptedReceiver();
    http = new HttpJson(KEY);
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AUTH_BOOTSTRAP_KEY", KEY);
    // The receiver listens on loopback, which the SSRF rule refuses unless allowed.
    env.put("FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8");
    env.put("FERRY_DISPATCHER_REQUEST_TIMEOUT_MS", "1000");
    env.put("FERRY_DISPATCHER_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS));
    env.put("FERRY_DISPATCHER_RETRY_INITIAL_MS", "200");
    env.put("FERRY_DISPATCHER_RETRY_MAX_MS", "2000");
    env.put("FERRY_DISPATCHER_LEASE_WAIT_MS", "500");
    env.put("FERRY_DISPATCHER_LIVENESS_INTERVAL_MS", Long.toString(LIVENESS_INTERVAL_MS));
    env.put("FERRY_DISPATCHER_LIVENESS_TIMEOUT_MS", "500");
    env.put("FERRY_DISPATCHER_LIVENESS_FAILURE_THRESHOLD", "2");
    env.putAll(storageEnv());
    ferry = FerryProcess.start("webhooks", "ferry.standalone.jar", dir.resolve("main"), Ports.free(), env)
        .awaitReady(START);
  }

  /** The FERRY_STORAGE_* environment: none here, the default embedded storage. */
  Map<String, String> storageEnv() {
    return Map.of();
  }

  @AfterAll
  void stop() throws Exception {
    if (ferry != null) {
      ferry.close();
    }
    receiver.close();
  }

  @Test
  void everyMessageEndsDeliveredOrMissedWhateverTheReceiverDoes() throws Exception {
    receiver.script("chaos", d -> switch (d.data()) {
      case "fail-once" -> d.attempt() == 1 ? Answer.status(500) : Answer.status(200);
      case "timeout-once" -> d.attempt() == 1 ? new Answer.Never() : Answer.status(204);
      case "reset-once" -> d.attempt() == 1 ? new Answer.Reset() : Answer.status(200);
      case "slow" -> new Answer.Slowly(400, 200);
      case "throttled-once" -> d.attempt() == 1
          ? new Answer.Status(429, Map.of("Retry-After", "1")) : Answer.status(200);
      case "redirect" -> new Answer.Status(302, Map.of("Location", "/elsewhere"));
      case "fail-always" -> Answer.status(500);
      default -> Answer.status(200);
    });
    Hook hook = createListener("chaos");
    List<String> modes = List.of("ok", "fail-once", "timeout-once", "reset-once", "slow", "throttled-once",
        "redirect", "fail-always");
    Map<String, String> idByMode = new HashMap<>();
    for (String mode : modes) {
      idByMode.put(mode, push(hook, mode));
    }

    JsonObject messages = awaitListener(hook, l -> counts(l, 6, 2)).getJsonObject("messages");

    assertEquals(Set.of(idByMode.get("redirect"), idByMode.get("fail-always")),
        Set.copyOf(messages.getJsonArray("missed").getList()), messages::encode);
    Map<String, Long> attempts = receiver.deliveries("chaos").stream()
        .collect(Collectors.groupingBy(Delivery::data, Collectors.counting()));
    assertEquals(Map.of("ok", 1L, "fail-once", 2L, "timeout-once", 2L, "reset-once", 2L, "slow", 1L,
        "throttled-once", 2L, "redirect", (long) MAX_ATTEMPTS, "fail-always", (long) MAX_ATTEMPTS), attempts);
    for (Delivery delivery : receiver.deliveries("chaos")) {
      delivery.verify(hook.secret());
      assertEquals(idByMode.get(delivery.data()), delivery.messageId());
    }
    List<Delivery> throttled = byMode("chaos", "throttled-once");
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(throttled.get(1).atNanos() - throttled.get(0).atNanos());
    assertTrue(waitedMs >= 900, "Retry-After: 1 honoured? the retry came after " + waitedMs + " ms");
    assertTrue(receiver.strayRequests().isEmpty(), "a redirect was followed: " + receiver.strayRequests());
  }

  @Test
  void aReceiverAnswering410DisablesItsListener() throws Exception {
    receiver.script("gone", d -> Answer.status(410));
    Hook hook = createListener("gone");
    push(hook, "first");

    awaitListener(hook, l -> "disabled".equals(l.getString("status")));
    push(hook, "second");
    // A listener started only now, for a message pushed later, is delivered to after any lease the disabled
    // one could still have taken.
    receiver.script("gone-witness", d -> Answer.status(200));
    Hook witness = createListener("gone-witness");
    push(witness, "witness");
    await("the witness's message arrives").atMost(SETTLED)
        .until(() -> receiver.deliveries("gone-witness").size() == 1);

    assertEquals(1, receiver.deliveries("gone").size(), "delivered after 410");
  }

  @Test
  void whileTheLivenessCheckFailsNothingIsAttemptedAndTheBacklogArrivesOnceItPasses() throws Exception {
    receiver.script("paused", d -> Answer.status(200));
    receiver.live("paused", false);
    Hook hook = createListener("paused");
    awaitListener(hook, l -> "inactive".equals(l.getJsonObject("liveness").getString("state")));

    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      backlog.add(push(hook, "backlog-" + i));
    }
    int failures = failedChecks(awaitListener(hook, l -> true));
    awaitListener(hook, l -> failedChecks(l) >= failures + 3);
    assertTrue(receiver.deliveries("paused").isEmpty(), "delivered while inactive");

    receiver.live("paused", true);

    // The delivery counts and the liveness report reach admin by different messages, in either order.
    awaitListener(hook, l -> counts(l, 3, 0) && "stable".equals(l.getJsonObject("liveness").getString("state")));
    List<Delivery> delivered = receiver.deliveries("paused");
    assertEquals(Set.copyOf(backlog), delivered.stream().map(Delivery::messageId).collect(Collectors.toSet()));
    for (Delivery delivery : delivered) {
      assertEquals(1, delivery.attempt(), "an attempt was burnt while inactive");
      delivery.verify(hook.secret());
    }
  }

  @Test
  void missedMessagesArriveAgainWhenRedelivered() throws Exception {
    AtomicBoolean fixed = new AtomicBoolean();
    receiver.script("redo", d -> Answer.status(fixed.get() ? 200 : 503));
    Hook hook = createListener("redo");
    Set<String> ids = Set.of(push(hook, "a"), push(hook, "b"));
    awaitListener(hook, l -> counts(l, 0, 2));

    fixed.set(true);
    HttpJson.Reply redelivered = http.post(ferry.baseUrl() + "/v1/queues/" + hook.queueId() + "/listeners/"
        + hook.listenerId() + "/redeliver", null);
    assertEquals(200, redelivered.status(), redelivered::toString);

    awaitListener(hook, l -> counts(l, 2, 0));
    Set<String> deliveredAfterFix = receiver.deliveries("redo").stream()
        .filter(d -> d.attempt() == 1).map(Delivery::messageId).collect(Collectors.toSet());
    assertEquals(ids, deliveredAfterFix, "every missed message came again from attempt 1");
    assertEquals(2 * MAX_ATTEMPTS + 2, receiver.deliveries("redo").size());
  }

  private List<Delivery> byMode(String hook, String mode) {
    return receiver.deliveries(hook).stream().filter(d -> d.data().equals(mode)).toList();
  }

  private static boolean counts(JsonObject listener, int acknowledged, int missed) {
    JsonObject messages = listener.getJsonObject("messages");
    return messages != null && messages.getInteger("acknowledged_count", -1) == acknowledged
        && messages.getInteger("missed_count", -1) == missed;
  }

  private Hook createListener(String name) throws Exception {
    HttpJson.Reply queue = http.post(ferry.baseUrl() + "/v1/queues", new JsonObject().put("name", "q-" + name));
    assertEquals(200, queue.status(), queue::toString);
    String queueId = queue.object().getJsonObject("queue").getString("id");
    HttpJson.Reply listener = http.post(ferry.baseUrl() + "/v1/queues/" + queueId + "/listeners", new JsonObject()
        .put("name", name)
        .put("notify_url", receiver.hookUrl(name))
        .put("liveness_url", receiver.livenessUrl(name)));
    assertEquals(200, listener.status(), listener::toString);
    JsonObject created = listener.object().getJsonObject("listener");
    return new Hook(name, queueId, created.getString("id"), created.getString("secret"));
  }

  private String push(Hook hook, String data) throws Exception {
    HttpJson.Reply pushed = http.post(ferry.baseUrl() + "/v1/queues/" + hook.queueId() + "/messages",
        new JsonObject().put("data", data));
    assertEquals(200, pushed.status(), pushed::toString);
    return pushed.object().getJsonObject("message").getString("id");
  }

  /** Polls the listener object until it matches, failing with its last state. */
  private JsonObject awaitListener(Hook hook, Predicate<JsonObject> condition) {
    AtomicReference<HttpJson.Reply> last = new AtomicReference<>();
    try {
      return await("listener " + hook.name()).atMost(SETTLED).pollInterval(Duration.ofMillis(100)).until(() -> {
        HttpJson.Reply reply = http.get(ferry.baseUrl() + "/v1/queues/" + hook.queueId() + "/listeners/"
            + hook.listenerId());
        last.set(reply);
        return reply.status() == 200 ? reply.object().getJsonObject("listener") : null;
      }, listener -> listener != null && condition.test(listener));
    } catch (ConditionTimeoutException timedOut) {
      throw new AssertionError("listener " + hook.name() + " never reached the expected state; last: " + last.get()
          + "; deliveries: "
          + receiver.deliveries(hook.name()).stream().map(d -> d.data() + "#" + d.attempt()).toList(), timedOut);
    }
  }

  private static int failedChecks(JsonObject listener) {
    return listener.getJsonObject("liveness").getInteger("failure_count");
  }

}

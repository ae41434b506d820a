package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.testkit.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A burst pushed the moment a listener's creation was answered reaches the listener, every message, as the
 * webhook bench does it: a new queue, a listener on it, then batches over several connections at once, the first
 * round on a Ferry just started (where the bench saw a first burst not delivered within 2 minutes; see
 * bench/README.md), then round after round. The dispatcher may learn of the listener after the burst was pushed:
 * messaging holds the messages for the listener's subscription from the creation's answer on.
 */
class FirstBurstDeliveryTest {

  private static final String KEY = "first-burst-test-bootstrap-key-0123456789";
  private static final int ROUNDS = 20;
  private static final int PUSHERS = 4;
  private static final int BATCH = 50;
  private static final Duration DELIVERED = Duration.ofSeconds(15);

  private final HttpJson http = new HttpJson(KEY);
  private final Map<String, Set<String>> delivered = new ConcurrentHashMap<>();
  private Path dataDir;
  private InProcessFerry ferry;
  private WebhookReceiver receiver;
  private String base;

  @BeforeEach
  void start() throws Exception {
    dataDir = Files.createTempDirectory("ferry-first-burst-");
    receiver = WebhookReceiver.started();
    ferry = InProcessFerry.start("Ferry first burst test", KEY, dataDir, Map.of());
    base = ferry.base();
  }

  @AfterEach
  void stop() throws Exception {
    if (ferry != null) {
      ferry.close();
    }
    receiver.close();
  }

  @Test
  void everyMessageOfABurstPushedRightAfterTheListenerWasCreatedIsDelivered() throws Exception {
    String cf = base + "/client/v4/accounts/" + SkeletonFlow.accountId(http, base);
    for (int round = 0; round < ROUNDS; round++) {
      HttpJson.Reply queue = http.post(cf + "/queues", new JsonObject().put("queue_name", "burst-" + round));
      assertEquals(200, queue.status(), queue::toString);
      String queueId = queue.result().getString("queue_id");
      String hook = WebhookReceiver.HOOK + "/" + round;
      HttpJson.Reply listener = http.post(base + "/v1/queues/" + queueId + "/listeners", new JsonObject()
          .put("name", "burst").put("notify_url", receiver.url(hook)).put("liveness_url", receiver.livenessUrl()));
      assertEquals(200, listener.status(), listener::toString);

      List<CompletableFuture<HttpResponse<String>>> pushes = new ArrayList<>();
      for (int p = 0; p < PUSHERS; p++) {
        pushes.add(http.client().sendAsync(batch(cf + "/queues/" + queueId + "/messages/batch", round, p),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> push : pushes) {
        assertEquals(200, push.get().statusCode(), push.get()::body);
      }
      Awaitility.await("round " + round + ": the whole burst delivered").atMost(DELIVERED)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> deliveredTo(hook) == PUSHERS * BATCH);
    }
  }

  private int deliveredTo(String path) {
    for (WebhookReceiver.Received got; (got = receiver.received.poll()) != null; ) {
      delivered.computeIfAbsent(got.path(), p -> ConcurrentHashMap.newKeySet()).add(got.json().getString("id"));
    }
    return delivered.getOrDefault(path, Set.of()).size();
  }

  private HttpRequest batch(String url, int round, int pusher) {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < BATCH; i++) {
      messages.add(new JsonObject().put("body", new JsonObject().put("round", round).put("pusher", pusher)
          .put("i", i)));
    }
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("messages", messages).encode())).build();
  }
}

package io.ferry.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An API key in use on messaging (a push), a gateway (a long-poll) and an admin instance (reading the key
 * itself), for showing how soon each refuses it once it is revoked.
 */
final class KeyInUse {

  private final String id;
  private final HttpJson http;
  private final String pushUrl;
  private final String pollUrl;
  private final String adminName;
  private final String readUrl;

  /**
   * @param queuePath the Cloudflare path of a queue the key may push to, {@code /client/v4/accounts/.../queues/id}
   */
  KeyInUse(String id, String key, String messaging, String gateway, String adminName, String admin, String queuePath,
      String queueName) {
    this.id = id;
    this.http = new HttpJson(key);
    this.pushUrl = messaging + queuePath + "/messages";
    this.pollUrl = gateway + "/queue/listen/longpoll/" + queueName + "?timeout_ms=0";
    this.adminName = adminName;
    this.readUrl = admin + "/v1/api_keys/" + id;
  }

  String id() {
    return id;
  }

  /** The status each service answers the key with now. */
  Map<String, Integer> statuses() throws Exception {
    return Map.of(
        "messaging", http.post(pushUrl, new JsonObject().put("body", "with " + id)).status(),
        "gateway", http.get(pollUrl).status(),
        adminName, http.get(readUrl).status());
  }

  // Twice: the first use puts the key in each service's cache, the second is served from it, right before the
  // revocation, so that a refusal afterwards shows the cache was dropped, not that it was never filled.
  void assertAcceptedEverywhere() throws Exception {
    for (int use = 0; use < 2; use++) {
      assertEquals(everywhere(200), statuses());
    }
  }

  /** Waits until every service refuses the key, failing once {@code bound} has passed since {@code answeredAtNanos}. */
  void awaitRefusedEverywhere(Duration bound, long answeredAtNanos) {
    await("refused everywhere within " + bound + " of the revocation's answer")
        .atMost(bound.minusNanos(System.nanoTime() - answeredAtNanos))
        .pollInterval(Duration.ofMillis(25))
        .until(this::statuses, everywhere(401)::equals);
    System.out.printf("KeyInUse: key refused everywhere %d ms after its revocation was answered%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAtNanos));
  }

  private Map<String, Integer> everywhere(int status) {
    return Map.of("messaging", status, "gateway", status, adminName, status);
  }
}

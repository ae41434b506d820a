package io.ferry.system;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Cloudflare-dialect message routes of one queue, for load and crash tests: push, batch push, pull and
 * ack over HTTP/1.1 keep-alive. Messages are identified by their JSON body {@code {"p": producer, "n": n}}
 * (pushes answer no ids). A request whose response never arrived (the 30 s client timeout included) throws
 * {@link IOException}: its effect is unknown ("in doubt"), unless {@link #neverSent} says the connection was
 * never made. A 504 is in doubt too ({@link MessageLedger#answeredInDoubt}); callers judge statuses.
 */
final class QueueClient {

  /** One leased message as a pull returned it. */
  record Pulled(long key, String leaseId, int attempts) {
  }

  /** A pull's outcome: the HTTP status and, when 200, the leased messages. */
  record PullReply(int status, List<Pulled> messages, String body) {
  }

  /** An ack call's outcome: the HTTP status and, when 200, the lease ids the server refused (warnings). */
  record AckReply(int status, int ackCount, int retryCount, Set<String> refusedLeases, String body) {
  }

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final String token;
  private final String queuePath;
  // Several messaging instances serve the same queues: a client sticks to one (current) and, when its
  // connection is refused, moves on to the next, as a client behind a load balancer would be moved.
  private final List<String> baseUrls;
  private final int home;
  private final AtomicInteger current;

  QueueClient(String baseUrl, String token, String accountId, String queueId) {
    this(List.of(baseUrl), 0, token, "/client/v4/accounts/" + accountId + "/queues/" + queueId);
  }

  private QueueClient(List<String> baseUrls, int home, String token, String queuePath) {
    this.baseUrls = List.copyOf(baseUrls);
    this.home = home % baseUrls.size();
    this.current = new AtomicInteger(this.home);
    this.token = token;
    this.queuePath = queuePath;
  }

  /** The same queue on several instances, starting on {@code baseUrls[home]}. */
  QueueClient across(List<String> baseUrls, int home) {
    return new QueueClient(baseUrls, home, token, queuePath);
  }

  String queueId() {
    return queuePath.substring(queuePath.lastIndexOf('/') + 1);
  }

  /** The instance requests go to now. */
  String baseUrl() {
    return baseUrls.get(current.get());
  }

  /** Back to the instance this client started on (it is serving again). */
  void returnHome() {
    current.set(home);
  }

  /** Moves off {@code baseUrl} if on it (an instance about to stop, taken out of rotation first). */
  void avoid(String baseUrl) {
    int at = current.get();
    if (baseUrls.get(at).equals(baseUrl) && baseUrls.size() > 1) {
      current.compareAndSet(at, (at + 1) % baseUrls.size());
    }
  }

  /** Creates a queue with an http_pull consumer and returns a client for it. */
  static QueueClient createQueue(String baseUrl, String token, String name, int maxRetries) throws Exception {
    HttpJson admin = new HttpJson(token);
    String account = SkeletonFlow.accountId(admin, baseUrl);
    HttpJson.Reply created = admin.post(baseUrl + "/client/v4/accounts/" + account + "/queues",
        new JsonObject().put("queue_name", name));
    if (created.status() != 200) {
      throw new AssertionError("create queue: " + created);
    }
    String queueId = created.result().getString("queue_id");
    HttpJson.Reply consumer = admin.post(baseUrl + "/client/v4/accounts/" + account + "/queues/" + queueId
        + "/consumers", new JsonObject().put("type", "http_pull")
        .put("settings", new JsonObject().put("batch_size", 100).put("max_retries", maxRetries)));
    if (consumer.status() != 200) {
      throw new AssertionError("create consumer: " + consumer);
    }
    return new QueueClient(baseUrl, token, account, queueId);
  }

  /** True when the request cannot have reached the server: the connection was refused or never made. */
  static boolean neverSent(IOException e) {
    return e instanceof ConnectException || e instanceof HttpConnectTimeoutException
        || e.getCause() instanceof ConnectException;
  }

  static long key(int producer, long n) {
    return ((long) producer << 40) | n;
  }

  static int producerOf(long key) {
    return (int) (key >>> 40);
  }

  static long counterOf(long key) {
    return key & ((1L << 40) - 1);
  }

  static String describe(long key) {
    return "{p:" + producerOf(key) + ",n:" + counterOf(key) + "}";
  }

  private static JsonObject body(long key) {
    return new JsonObject().put("p", producerOf(key)).put("n", counterOf(key));
  }

  /** Pushes one message; returns the HTTP status. */
  int push(long key) throws IOException, InterruptedException {
    return post("/messages", new JsonObject().put("body", body(key))).statusCode();
  }

  /** Pushes the messages as one batch; returns the HTTP status. */
  int pushBatch(Collection<Long> keys) throws IOException, InterruptedException {
    JsonArray messages = new JsonArray();
    keys.forEach(key -> messages.add(new JsonObject().put("body", body(key))));
    return post("/messages/batch", new JsonObject().put("messages", messages)).statusCode();
  }

  PullReply pull(int batchSize, int visibilityTimeoutMs, int waitMs) throws IOException, InterruptedException {
    HttpResponse<String> response = post("/messages/pull", new JsonObject()
        .put("batch_size", batchSize).put("visibility_timeout_ms", visibilityTimeoutMs).put("wait_ms", waitMs));
    if (response.statusCode() != 200) {
      return new PullReply(response.statusCode(), List.of(), response.body());
    }
    JsonArray messages = new JsonObject(response.body()).getJsonObject("result").getJsonArray("messages");
    List<Pulled> pulled = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      JsonObject body = new JsonObject(new String(Base64.getDecoder().decode(message.getString("body")),
          StandardCharsets.UTF_8));
      pulled.add(new Pulled(key(body.getInteger("p"), body.getLong("n")), message.getString("lease_id"),
          message.getInteger("attempts", 0)));
    }
    return new PullReply(200, pulled, null);
  }

  /** Acks {@code acks} and retries {@code retries} (each with {@code retryDelaySeconds}) in one call. */
  AckReply ack(Collection<String> acks, Collection<String> retries, int retryDelaySeconds)
      throws IOException, InterruptedException {
    JsonArray ackArray = new JsonArray();
    acks.forEach(lease -> ackArray.add(new JsonObject().put("lease_id", lease)));
    JsonArray retryArray = new JsonArray();
    retries.forEach(lease -> retryArray.add(new JsonObject().put("lease_id", lease)
        .put("delay_seconds", retryDelaySeconds)));
    HttpResponse<String> response = post("/messages/ack",
        new JsonObject().put("acks", ackArray).put("retries", retryArray));
    if (response.statusCode() != 200) {
      return new AckReply(response.statusCode(), 0, 0, Set.of(), response.body());
    }
    JsonObject result = new JsonObject(response.body()).getJsonObject("result");
    // Warnings are keyed by the lease id they refuse.
    Set<String> refused = new HashSet<>(result.getJsonObject("warnings", new JsonObject()).fieldNames());
    return new AckReply(200, result.getInteger("ackCount"), result.getInteger("retryCount"), refused,
        response.body());
  }

  /** {@code GET .../metrics} of the queue, as a plain reply (the route may not be served yet). */
  HttpJson.Reply metrics() throws Exception {
    return new HttpJson(token).get(baseUrl() + queuePath + "/metrics");
  }

  private HttpResponse<String> post(String path, JsonObject body) throws IOException, InterruptedException {
    int at = current.get();
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls.get(at) + queuePath + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
        .build();
    try {
      HttpResponse<String> response =
          RequestsInFlight.to(baseUrls.get(at), () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
      if (response.statusCode() >= 500) {
        ServerErrors.record(response.statusCode(), path, response.body());
      }
      return response;
    } catch (IOException e) {
      if (neverSent(e)) {
        current.compareAndSet(at, (at + 1) % baseUrls.size());
      }
      throw e;
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

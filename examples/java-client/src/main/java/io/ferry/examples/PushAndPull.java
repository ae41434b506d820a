package io.ferry.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Pushes a batch to a Ferry queue and pulls, prints and acks it over the Cloudflare Queues API, with the Vert.x
 * web client. Configured by FERRY_URL (default http://localhost:8080), FERRY_KEY (an API key) and QUEUE.
 */
public final class PushAndPull {

  private final WebClient client;
  private final String key;
  private final String queueName;
  private String queuePath;

  private PushAndPull(WebClient client, String key, String queueName) {
    this.client = client;
    this.key = key;
    this.queueName = queueName;
  }

  public static void main(String[] args) throws Exception {
    String key = System.getenv("FERRY_KEY");
    if (key == null || key.isBlank()) {
      System.err.println("set FERRY_KEY to a Ferry API key (the bootstrap key printed at first start will do)");
      System.exit(2);
    }
    URI ferry = URI.create(System.getenv().getOrDefault("FERRY_URL", "http://localhost:8080"));
    String queue = System.getenv().getOrDefault("QUEUE", "orders-java");
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost(ferry.getHost()).setDefaultPort(ferry.getPort() == -1 ? 80 : ferry.getPort()));
    int exit = 0;
    try {
      new PushAndPull(client, key, queue).run().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("failed: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      exit = 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(exit);
  }

  private Future<Void> run() {
    return call("GET", "/client/v4/accounts", null)
        .compose(accounts -> findOrCreateQueue(accounts.getJsonArray("result").getJsonObject(0).getString("id")))
        .compose(v -> push())
        .compose(v -> pullAndAck());
  }

  private Future<Void> findOrCreateQueue(String accountId) {
    String queues = "/client/v4/accounts/" + accountId + "/queues";
    return call("GET", queues, null).compose(listed -> {
      for (Object each : listed.getJsonArray("result")) {
        JsonObject queue = (JsonObject) each;
        if (queueName.equals(queue.getString("queue_name"))) {
          queuePath = queues + "/" + queue.getString("queue_id");
          return Future.succeededFuture();
        }
      }
      // As on Cloudflare, pulling needs an HTTP pull consumer on the queue.
      return call("POST", queues, new JsonObject().put("queue_name", queueName)).compose(created -> {
        queuePath = queues + "/" + created.getJsonObject("result").getString("queue_id");
        System.out.println("created queue " + queueName);
        return call("POST", queuePath + "/consumers", new JsonObject().put("type", "http_pull")).mapEmpty();
      });
    });
  }

  private Future<Void> push() {
    JsonArray messages = new JsonArray();
    for (int order = 1; order <= 3; order++) {
      messages.add(new JsonObject().put("body", new JsonObject().put("order", order)).put("content_type", "json"));
    }
    // The answer comes once the messages are on disk.
    return call("POST", queuePath + "/messages/batch", new JsonObject().put("messages", messages))
        .onSuccess(v -> System.out.println("pushed " + messages.size() + " messages to " + queueName))
        .mapEmpty();
  }

  private Future<Void> pullAndAck() {
    return call("POST", queuePath + "/messages/pull", new JsonObject().put("batch_size", 10)).compose(pulled -> {
      JsonArray acks = new JsonArray();
      for (Object each : pulled.getJsonObject("result").getJsonArray("messages")) {
        JsonObject message = (JsonObject) each;
        // JSON and binary bodies come back base64-encoded, text bodies as they were pushed.
        boolean text = "text".equals(message.getJsonObject("metadata", new JsonObject()).getString("CF-Content-Type"));
        String body = text ? message.getString("body")
            : new String(Base64.getDecoder().decode(message.getString("body")), StandardCharsets.UTF_8);
        System.out.println("received " + message.getString("id") + ": " + body);
        acks.add(new JsonObject().put("lease_id", message.getString("lease_id")));
      }
      // Unacked messages are delivered again once their visibility timeout ends.
      return call("POST", queuePath + "/messages/ack", new JsonObject().put("acks", acks))
          .onSuccess(v -> System.out.println("acked " + acks.size() + " messages"))
          .mapEmpty();
    });
  }

  private Future<JsonObject> call(String method, String path, JsonObject body) {
    var request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), path).bearerTokenAuthentication(key);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(response -> {
      JsonObject answer = response.bodyAsJsonObject();
      if (response.statusCode() / 100 != 2 || answer == null || !answer.getBoolean("success", false)) {
        return Future.failedFuture(method + " " + path + ": " + response.statusCode() + " " + response.bodyAsString());
      }
      return Future.succeededFuture(answer);
    });
  }
}

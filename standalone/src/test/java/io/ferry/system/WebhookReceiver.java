package io.ferry.system;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver as a user would run one: a plain HTTP server on loopback that answers 200 on
 * {@code /hook} and {@code /live}, and keeps every request it got so a test can verify its signature with
 * the Standard Webhooks reference library (not Ferry's own signing code).
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived. */
  record Delivery(String body, Map<String, List<String>> headers) {

    JsonObject json() {
      return new JsonObject(body);
    }

    /** Verifies the signature with the reference library; throws when it does not verify. */
    void verify(String secret) throws WebhookVerificationException {
      new Webhook(secret).verify(body, headers);
    }
  }

  private final HttpServer server;
  private final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/hook", this::hook);
    server.createContext("/live", exchange -> respond(exchange, 200));
    server.start();
  }

  String hookUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  String livenessUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/live";
  }

  /** The next delivery, or an assertion error when none arrives in time. */
  Delivery next(Duration timeout) throws InterruptedException {
    Delivery delivery = deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (delivery == null) {
      throw new AssertionError("no webhook delivery within " + timeout);
    }
    return delivery;
  }

  private void hook(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
    deliveries.add(new Delivery(body, headers));
    respond(exchange, 200);
  }

  private static void respond(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

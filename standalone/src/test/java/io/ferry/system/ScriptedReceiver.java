package io.ferry.system;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook receiver that misbehaves on purpose, one script per hook name: it answers {@code POST
 * /hook/{name}} as its script says (any status, never, a connection reset, slowly) and {@code GET
 * /live/{name}} with 200 or 503. It keeps every delivery so that a test can count attempts per message and
 * verify signatures with the Standard Webhooks reference library.
 */
final class ScriptedReceiver implements AutoCloseable {

  /** One delivery as it arrived. */
  record Delivery(String hook, String messageId, int attempt, String body, Map<String, List<String>> headers,
      long atNanos) {

    JsonObject json() {
      return new JsonObject(body);
    }

    /** The message's {@code data} as text (discue messages carry text). */
    String data() {
      return String.valueOf(json().getValue("data"));
    }

    void verify(String secret) throws WebhookVerificationException {
      new Webhook(secret).verify(body, headers);
    }
  }

  /** What the receiver does with one delivery. */
  sealed interface Answer {
    record Status(int code, Map<String, String> headers) implements Answer {
    }

    record Slowly(long delayMs, int code) implements Answer {
    }

    /** Never answers: the dispatcher's request timeout decides. */
    record Never() implements Answer {
    }

    /** Closes the connection without an answer. */
    record Reset() implements Answer {
    }

    static Answer status(int code) {
      return new Status(code, Map.of());
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, Function<Delivery, Answer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> alive = new ConcurrentHashMap<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final List<String> strayRequests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> livenessChecks = new ConcurrentHashMap<>();

  ScriptedReceiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Scripts {@code /hook/{name}} (default: 200) and sets {@code /live/{name}} up. */
  ScriptedReceiver script(String name, Function<Delivery, Answer> script) {
    scripts.put(name, script);
    alive.putIfAbsent(name, true);
    return this;
  }

  void live(String name, boolean up) {
    alive.put(name, up);
  }

  String hookUrl(String name) {
    return "http://127.0.0.1:" + server.actualPort() + "/hook/" + name;
  }

  String livenessUrl(String name) {
    return "http://127.0.0.1:" + server.actualPort() + "/live/" + name;
  }

  List<Delivery> deliveries(String hook) {
    return deliveries.stream().filter(d -> d.hook().equals(hook)).toList();
  }

  /** How many times {@code /live/{name}} was asked. */
  int livenessChecks(String name) {
    AtomicInteger checks = livenessChecks.get(name);
    return checks == null ? 0 : checks.get();
  }

  /** Requests to paths other than hooks and liveness (e.g. a followed redirect). */
  List<String> strayRequests() {
    return List.copyOf(strayRequests);
  }

  private void handle(HttpServerRequest request) {
    String[] parts = request.path().split("/");
    if (parts.length != 3 || !(parts[1].equals("hook") || parts[1].equals("live"))) {
      strayRequests.add(request.method() + " " + request.path());
      request.response().setStatusCode(404).end();
      return;
    }
    String name = parts[2];
    if (parts[1].equals("live")) {
      livenessChecks.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      request.response().setStatusCode(alive.getOrDefault(name, true) ? 200 : 503).end();
      return;
    }
    long at = System.nanoTime();
    request.body().onSuccess(buffer -> {
      Map<String, List<String>> headers = new HashMap<>();
      request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(h.getValue()));
      String body = buffer.toString();
      JsonObject json = new JsonObject(body);
      Delivery delivery = new Delivery(name, json.getString("id"), json.getInteger("attempt"), body, headers, at);
      deliveries.add(delivery);
      answer(request, scripts.getOrDefault(name, d -> Answer.status(200)).apply(delivery));
    });
  }

  private void answer(HttpServerRequest request, Answer answer) {
    if (answer instanceof Answer.Status status) {
      status.headers().forEach(request.response()::putHeader);
      request.response().setStatusCode(status.code()).end();
    } else if (answer instanceof Answer.Slowly slowly) {
      vertx.setTimer(slowly.delayMs(), id -> request.response().setStatusCode(slowly.code()).end());
    } else if (answer instanceof Answer.Reset) {
      request.connection().close();
    }
    // Answer.Never: the dispatcher gives up and drops the connection itself.
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

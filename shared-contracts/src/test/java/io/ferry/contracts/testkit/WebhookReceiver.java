package io.ferry.contracts.testkit;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver as a user would run one: a real HTTP server on loopback that records every request
 * and answers as the test scripts it per path (default 204). POSTs (deliveries) land in {@link #received},
 * GETs (liveness checks) in {@link #checks}. Signatures are verified with the Standard Webhooks reference
 * library, not Ferry's own signing code.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** The path {@link #hookUrl()} points at. */
  public static final String HOOK = "/hook";
  /** The path {@link #livenessUrl()} points at. */
  public static final String LIVE = "/live";

  /** One request as it arrived; header names are lower-cased. */
  public record Received(String path, Map<String, List<String>> headers, String body, int remotePort,
      long atNanos) {

    /** The first value of a header, whatever the case of {@code name}; null when absent. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    /** Verifies the Standard Webhooks signature; throws when it does not verify with {@code secret}. */
    public void verify(String secret) throws WebhookVerificationException {
      new Webhook(secret).verify(body, headers);
    }
  }

  public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  public final BlockingQueue<Received> checks = new LinkedBlockingQueue<>();

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Map<String, Handler<HttpServerRequest>> responders = new ConcurrentHashMap<>();
  private HttpServer server;

  /** A receiver on the test's Vert.x instance; call {@link #start()} before use. */
  public WebhookReceiver(Vertx vertx) {
    this(vertx, false);
  }

  private WebhookReceiver(Vertx vertx, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
  }

  /** A started receiver on a Vert.x instance of its own, closed with the receiver. */
  public static WebhookReceiver started() {
    WebhookReceiver receiver = new WebhookReceiver(Vertx.vertx(), true);
    try {
      receiver.start().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      receiver.close();
      throw new IllegalStateException("the webhook receiver did not start", e);
    }
    return receiver;
  }

  /** How the receiver answers requests to {@code path} from now on (default: 204, no body). */
  public WebhookReceiver respond(String path, Handler<HttpServerRequest> responder) {
    responders.put(path, responder);
    return this;
  }

  public Future<Void> start() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Map<String, List<String>> headers = new ConcurrentHashMap<>();
      request.headers().forEach(h -> headers
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
      Received got = new Received(request.path(), headers, body.toString(), request.remoteAddress().port(),
          System.nanoTime());
      (request.method() == HttpMethod.GET ? checks : received).add(got);
      responders.getOrDefault(request.path(), r -> r.response().setStatusCode(204).end()).handle(request);
    }));
    return server.listen(0, "127.0.0.1").mapEmpty();
  }

  public int port() {
    return server.actualPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public String hookUrl() {
    return url(HOOK);
  }

  public String livenessUrl() {
    return url(LIVE);
  }

  /** The next delivery (POST), or an assertion error when none arrives within {@code timeout}. */
  public Received next(Duration timeout) throws InterruptedException {
    Received delivery = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (delivery == null) {
      throw new AssertionError("no webhook delivery within " + timeout);
    }
    return delivery;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
    if (ownsVertx) {
      vertx.close().await();
    }
  }
}

package io.ferry.dispatcher.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhook requests over one pooled keep-alive {@link WebClient}. Redirects are never followed (a
 * receiver must not steer signed payloads elsewhere), response bodies are discarded up to a small cap, and
 * every attempt resolves within the request timeout: the returned future never fails.
 */
public final class WebhookSender {

  static final int MAX_RESPONSE_BODY_BYTES = 64 * 1024;
  private static final int KEEP_ALIVE_SECONDS = 30;

  private final Vertx vertx;
  private final WebClient client;
  private final int requestTimeoutMs;

  private WebhookSender(Vertx vertx, WebClient client, int requestTimeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /**
   * @param connectionsPerHost pooled connections per receiver origin; the per-listener in-flight cap
   */
  public static WebhookSender create(Vertx vertx, int requestTimeoutMs, int connectionsPerHost) {
    WebClientOptions options = new WebClientOptions()
        .setFollowRedirects(false)
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout(requestTimeoutMs)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(requestTimeoutMs)
        .setUserAgent("Ferry-Webhooks")
        .setName("ferry-webhooks");
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(connectionsPerHost).setHttp2MaxSize(1);
    return new WebhookSender(vertx, WebClient.create(vertx, options, pool), requestTimeoutMs);
  }

  /** POSTs the request; completes with what the attempt came to, at the latest after the request timeout. */
  public Future<DeliveryOutcome> send(WebhookRequest request) {
    Promise<DeliveryOutcome> outcome = Promise.promise();
    // The client's timeouts are per phase (connect, idle); a webhook gets one deadline for the whole exchange.
    long deadline = vertx.setTimer(requestTimeoutMs, id -> outcome.tryComplete(
        DeliveryOutcome.noResponse("no answer within " + requestTimeoutMs + " ms")));
    Future<DeliveryOutcome> attempt;
    try {
      attempt = post(request);
    } catch (RuntimeException invalidUrl) {
      attempt = Future.succeededFuture(DeliveryOutcome.noResponse("notify_url cannot be requested: "
          + invalidUrl.getMessage()));
    }
    attempt.onComplete(ar -> {
      vertx.cancelTimer(deadline);
      outcome.tryComplete(ar.succeeded() ? ar.result() : DeliveryOutcome.noResponse(describe(ar.cause())));
    });
    return outcome.future();
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private Future<DeliveryOutcome> post(WebhookRequest request) {
    HttpRequest<Void> http = client.postAbs(request.url())
        .as(new DiscardingBodyCodec(MAX_RESPONSE_BODY_BYTES))
        .connectTimeout(requestTimeoutMs)
        .idleTimeout(requestTimeoutMs);
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      http.putHeader(header.getKey(), header.getValue());
    }
    return http.sendBuffer(Buffer.buffer(request.body()))
        .map(response -> DeliveryOutcome.fromStatus(response.statusCode()));
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    // The client wraps body-stream failures; the innermost cause is the one worth logging.
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

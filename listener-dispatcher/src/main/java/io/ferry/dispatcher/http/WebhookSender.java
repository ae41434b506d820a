package io.ferry.dispatcher.http;

import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.contracts.net.UrlRedaction;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.DeliveryOutcome;
import io.ferry.dispatcher.core.TargetVetting;
import io.ferry.dispatcher.core.WebhookClient;
import io.ferry.dispatcher.core.WebhookRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dispatcher's outbound HTTP: webhook POSTs and liveness GETs over one pooled keep-alive client. Every
 * request first passes the connect-time SSRF check and then connects to exactly the vetted address (keeping
 * the URL's host for the Host header, TLS SNI and certificate verification). Redirects are never followed (a
 * receiver must not steer signed payloads elsewhere), response bodies are read up to a cap only, and every
 * exchange resolves within its timeout: the returned futures never fail.
 */
public final class WebhookSender implements WebhookClient {

  private static final int KEEP_ALIVE_SECONDS = 30;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final TargetVetting vetting;
  private final int requestTimeoutMs;
  private final int bodyCapBytes;
  private final ExchangeDeadlines sendDeadlines;

  private WebhookSender(Vertx vertx, HttpClientAgent client, TargetVetting vetting, int requestTimeoutMs,
      int bodyCapBytes) {
    this.vertx = vertx;
    this.client = client;
    this.vetting = vetting;
    this.requestTimeoutMs = requestTimeoutMs;
    this.bodyCapBytes = bodyCapBytes;
    this.sendDeadlines = new ExchangeDeadlines(vertx, requestTimeoutMs);
  }

  public static WebhookSender create(Vertx vertx, DispatcherConfig config, TargetVetting vetting) {
    return create(vertx, config, vetting, null);
  }

  /**
   * @param trust the certificates HTTPS receivers are verified against; {@code null} for the JVM's defaults
   */
  public static WebhookSender create(Vertx vertx, DispatcherConfig config, TargetVetting vetting,
      TrustOptions trust) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setMaxRedirects(0)
        .setVerifyHost(true)
        .setConnectTimeout(config.requestTimeoutMs())
        .setName("ferry-webhooks");
    if (trust != null) {
      options.setTrustOptions(trust);
    }
    // One connection per in-flight delivery of a listener, and one more for its liveness check. A larger pool
    // costs every request a longer scan for a free connection (the client's pool looks at each one).
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.maxInFlightPerListener() + 1).setHttp2MaxSize(1);
    HttpClientAgent client = vertx.httpClientBuilder().with(options).with(pool).build();
    return new WebhookSender(vertx, client, vetting, config.requestTimeoutMs(), config.responseBodyCapBytes());
  }

  @Override
  public Future<DeliveryOutcome> send(WebhookRequest request) {
    return exchange(HttpMethod.POST, request.url(), request.headers(), request.payload(),
        requestTimeoutMs);
  }

  @Override
  public Future<DeliveryOutcome> probe(String url, int timeoutMs) {
    return exchange(HttpMethod.GET, url, Map.of(), null, timeoutMs);
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  private Future<DeliveryOutcome> exchange(HttpMethod method, String url, Map<String, String> headers,
      Buffer body, int timeoutMs) {
    Promise<DeliveryOutcome> outcome = Promise.promise();
    HttpClientRequest[] underWay = new HttpClientRequest[1];
    // The client's timeouts are per phase (connect, idle); a request gets one deadline for the whole exchange.
    Runnable onTimeout = () -> {
      if (outcome.tryComplete(DeliveryOutcome.noResponse(DeliveryOutcome.Failure.TIMEOUT,
          "no answer within " + timeoutMs + " ms"))
          && underWay[0] != null) {
        underWay[0].reset();
      }
    };
    Runnable ended = deadline(timeoutMs, onTimeout);
    vetting.vet(url)
        .compose(target -> client.request(options(method, target, timeoutMs)))
        .compose(request -> {
          underWay[0] = request;
          if (outcome.future().isComplete()) {
            request.reset();
            return Future.failedFuture("timed out");
          }
          headers.forEach(request::putHeader);
          return body == null ? request.send() : request.send(body);
        })
        .compose(this::read)
        .onComplete(ar -> {
          ended.run();
          // A client error may quote the request line or the URL; the outcome's reason is logged.
          outcome.tryComplete(ar.succeeded() ? ar.result()
              : DeliveryOutcome.noResponse(failureOf(ar.cause()), UrlRedaction.scrub(describe(ar.cause()), url)));
        });
    return outcome.future();
  }

  /** Starts an exchange's deadline; the returned action ends it. */
  private Runnable deadline(int timeoutMs, Runnable onTimeout) {
    if (timeoutMs == requestTimeoutMs) {
      return sendDeadlines.start(onTimeout)::end;
    }
    // Liveness probes, with a timeout of their own, are few: a timer each.
    long timer = vertx.setTimer(timeoutMs, id -> onTimeout.run());
    return () -> vertx.cancelTimer(timer);
  }

  private static RequestOptions options(HttpMethod method, TargetVetting.Target target, int timeoutMs) {
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
        .setHost(TargetVetting.bareHost(target.host()))
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(target.requestUri())
        .setFollowRedirects(false)
        // No idle timeout: the exchange's deadline already resets the request, and the client's idle timer,
        // set and cancelled once per request, was 1.8 % of Ferry's CPU in webhook delivery.
        .setConnectTimeout(timeoutMs)
        .putHeader(HttpHeaders.USER_AGENT, "Ferry-Webhooks");
    if (target.host().startsWith("[")) {
      // The client would write an IPv6 host unbracketed (::1:8080), which no server can read.
      boolean defaultPort = target.port() == (target.ssl() ? 443 : 80);
      options.putHeader(HttpHeaders.HOST, defaultPort ? target.host() : target.host() + ":" + target.port());
    }
    return options;
  }

  /**
   * The outcome once the body has ended or passed the cap; a receiver cannot make us read an endless stream. The
   * first {@link WebhookAttempt#EXCERPT_BYTES} bytes of the body are kept for the attempt log.
   */
  private Future<DeliveryOutcome> read(HttpClientResponse response) {
    DeliveryOutcome status = DeliveryOutcome.fromResponse(response.statusCode(),
        response.getHeader(HttpHeaders.RETRY_AFTER), System.currentTimeMillis());
    Promise<DeliveryOutcome> read = Promise.promise();
    long[] received = {0};
    Buffer excerpt = Buffer.buffer();
    response.handler(chunk -> {
      received[0] += chunk.length();
      int room = WebhookAttempt.EXCERPT_BYTES - excerpt.length();
      if (room > 0) {
        excerpt.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
      }
      if (received[0] > bodyCapBytes && read.tryComplete(withExcerpt(status, excerpt))) {
        // The rest is not read: the connection is dropped rather than drained, so it is not reused.
        response.request().reset();
      }
    });
    response.endHandler(end -> read.tryComplete(withExcerpt(status, excerpt)));
    response.exceptionHandler(read::tryFail);
    return read.future();
  }

  private static DeliveryOutcome withExcerpt(DeliveryOutcome outcome, Buffer excerpt) {
    return excerpt.length() == 0 ? outcome : outcome.withResponseExcerpt(excerpt.toString(StandardCharsets.UTF_8));
  }

  private static DeliveryOutcome.Failure failureOf(Throwable failure) {
    if (failure instanceof TargetVetting.Refused) {
      return DeliveryOutcome.Failure.REFUSED;
    }
    // The client's own connect timeout (set to the request's deadline) may fire just before it;
    // Netty's, the JDK's and Vert.x's timeout exceptions share no type but their name.
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause.getClass().getSimpleName().contains("Timeout")) {
        return DeliveryOutcome.Failure.TIMEOUT;
      }
    }
    return DeliveryOutcome.Failure.ERROR;
  }

  private static String describe(Throwable failure) {
    if (failure instanceof TargetVetting.Refused refused) {
      return refused.getMessage();
    }
    Throwable cause = failure;
    // The client wraps some failures; the innermost cause is the one worth logging.
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

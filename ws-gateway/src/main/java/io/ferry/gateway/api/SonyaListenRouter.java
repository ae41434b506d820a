package io.ferry.gateway.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.gateway.core.Frame;
import io.ferry.gateway.core.LongPoll;
import io.ferry.gateway.core.QueueDirectory;
import io.ferry.gateway.core.StartPosition;
import io.ferry.gateway.core.Subscription;
import io.ferry.gateway.core.Subscriptions;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sonya listen routes: {@code GET /queue/listen/ws/{queue}[/{id}]} (WebSocket) and
 * {@code GET /queue/listen/longpoll/{queue}[/{id}]}. Everything that can fail — credentials and what they
 * allow, the queue, the parameters — is settled before the upgrade or the wait, so failures are ordinary
 * HTTP responses in the Sonya error format.
 */
public final class SonyaListenRouter {

  /** On a long-poll answer cut short: the sequence to ask for next. */
  public static final String NEXT_SEQUENCE = "Ferry-Next-Sequence";
  /** On a long-poll answer from a sequence: the oldest sequence the queue still retains. */
  public static final String OLDEST_SEQUENCE = "Ferry-Oldest-Sequence";

  // The WebSocket versions Netty's handshakers speak (13 is RFC 6455; 7 and 8 are its drafts).
  private static final java.util.Set<String> SUPPORTED_VERSIONS = java.util.Set.of("13", "8", "7");

  private final Authentication authentication;
  private final QueueDirectory queues;
  private final Subscriptions subscriptions;

  public SonyaListenRouter(Vertx vertx, QueueDirectory queues, Subscriptions subscriptions) {
    // Any authenticated caller passes here; ListenRequest checks the scope against the queue and id.
    this.authentication = Authentication.of(vertx);
    this.queues = queues;
    this.subscriptions = subscriptions;
  }

  public void mount(Router router) {
    router.get("/queue/listen/ws/:queue").handler(SonyaListenRouter::holdRequest).handler(authentication)
        .handler(this::listenToQueue).failureHandler(SonyaListenRouter::releaseRequest);
    router.get("/queue/listen/ws/:queue/:id").handler(SonyaListenRouter::holdRequest).handler(authentication)
        .handler(this::listenToId).failureHandler(SonyaListenRouter::releaseRequest);
    router.get("/queue/listen/longpoll/:queue").handler(authentication).handler(this::pollQueue);
    router.get("/queue/listen/longpoll/:queue/:id").handler(authentication).handler(this::pollId);
  }

  // Vert.x only upgrades a request it has not finished reading, and authentication and the queue lookup
  // are asynchronous: the request stays paused until the upgrade, or until it fails (releaseRequest).
  private static void holdRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ctx.next();
  }

  private static void releaseRequest(RoutingContext ctx) {
    ctx.request().resume();
    ctx.next();
  }

  private void listenToQueue(RoutingContext ctx) {
    subscribe(ctx, false);
  }

  private void listenToId(RoutingContext ctx) {
    subscribe(ctx, true);
  }

  private void pollQueue(RoutingContext ctx) {
    poll(ctx, false);
  }

  private void pollId(RoutingContext ctx) {
    poll(ctx, true);
  }

  private void subscribe(RoutingContext ctx, boolean keyed) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      throw FerryException.invalidField("Upgrade", "this route only serves WebSocket upgrade requests");
    }
    requireHandshakeHeaders(ctx);
    ListenRequest listen = ListenRequest.read(ctx, keyed);
    queues.byName(listen.principal().accountId(), listen.queueName())
        .compose(queue -> subscriptions.open(queue.id(), listen.key(), listen.start(),
            listen.principal().expiresAtMs()))
        .onSuccess(subscription -> upgrade(ctx, subscription))
        .onFailure(ctx::fail);
  }

  // The lookups before the upgrade take as long as admin's store does, and the client may hang up meanwhile.
  // Vert.x then fails the upgrade after its handshake has begun, with a second status it cannot write: the
  // upgrade only goes ahead on a live connection, and a failure once the head is out (Vert.x answered it, or
  // the client left mid-handshake) ends the subscription without a second response.
  private void upgrade(RoutingContext ctx, Subscription subscription) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      subscription.cancel();
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(socket -> subscription.attach(
            new WebSocketSink(socket, ctx.request().connection(), subscriptions.config().maxQueuedBytes())))
        .onFailure(failure -> {
          subscription.cancel();
          if (!response.headWritten() && !response.closed()) {
            ctx.fail(failure);
          }
        });
  }

  // Netty answers a handshake it cannot complete itself (a plain-text 400, an empty 426) after the
  // subscription was opened: what it would refuse is refused here first, in the Sonya format.
  private static void requireHandshakeHeaders(RoutingContext ctx) {
    String version = ctx.request().getHeader("Sec-WebSocket-Version");
    if (version == null || !SUPPORTED_VERSIONS.contains(version.trim())) {
      ctx.response().putHeader("Sec-WebSocket-Version", "13");
      throw FerryException.invalidField("Sec-WebSocket-Version", "must be 13");
    }
    String key = ctx.request().getHeader("Sec-WebSocket-Key");
    if (key == null || key.isBlank()) {
      throw FerryException.invalidField("Sec-WebSocket-Key", "is required for a WebSocket handshake");
    }
  }

  /**
   * The frames as Sonya sends them, plus two headers of Ferry's own: {@value #NEXT_SEQUENCE} when the answer
   * was cut short (ask again with {@code ?sequence=} that value), and, on a poll from a sequence,
   * {@value #OLDEST_SEQUENCE}, the oldest sequence still retained (greater than the one asked for: what lies
   * between is gone).
   */
  private static void answer(HttpServerResponse response, ListenRequest listen, LongPoll.Answer answer) {
    if (answer.more()) {
      response.putHeader(NEXT_SEQUENCE, Long.toString(answer.nextSequence()));
    }
    if (listen.start().kind() == StartPosition.Kind.FROM && answer.oldestSequence() > 0) {
      response.putHeader(OLDEST_SEQUENCE, Long.toString(answer.oldestSequence()));
    }
    response.putHeader("Content-Type", "application/json").end(Frame.jsonArray(answer.frames()));
  }

  private void poll(RoutingContext ctx, boolean keyed) {
    ListenRequest listen = ListenRequest.read(ctx, keyed);
    long timeoutMs = ListenRequest.timeoutMs(ctx, subscriptions.config().longPollMaxTimeoutMs());
    long expiresAtMs = listen.principal().expiresAtMs();
    // A poll never outlives its credential: at expiry it answers with what it has (nothing), like a timeout.
    long waitMs = expiresAtMs > 0 ? Math.min(timeoutMs, Math.max(0, expiresAtMs - System.currentTimeMillis()))
        : timeoutMs;
    HttpServerResponse response = ctx.response();
    queues.byName(listen.principal().accountId(), listen.queueName())
        .compose(queue -> {
          if (response.closed()) {
            return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "the client went away"));
          }
          LongPoll poll = subscriptions.poll(queue.id(), listen.key(), listen.start(), waitMs);
          response.closeHandler(v -> poll.cancel());
          // A graceful stop lets in-flight requests finish: a waiting poll answers at once instead.
          ctx.request().connection().shutdownHandler(v -> poll.end(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
              "server shutting down"));
          return poll.answer();
        })
        .onSuccess(answer -> answer(response, listen, answer))
        .onFailure(failure -> {
          if (!response.closed()) {
            ctx.fail(failure);
          }
        });
  }
}

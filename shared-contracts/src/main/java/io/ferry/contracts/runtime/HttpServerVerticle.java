package io.ferry.contracts.runtime;

import io.ferry.contracts.config.HttpConfig;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One HTTP server instance (deployed once per event loop): body limits, the operational routes, every
 * hosted service's routes, and dialect-aware errors for everything that fails or matches nothing.
 */
final class HttpServerVerticle extends VerticleBase {

  private final HttpConfig config;
  private final List<ServiceModule> modules;
  private final OpsRoutes ops;
  private final IntConsumer onListening;
  private final ConnectionGuard connections;
  private HttpServer server;

  HttpServerVerticle(HttpConfig config, List<ServiceModule> modules, OpsRoutes ops, IntConsumer onListening,
      ConnectionGuard connections) {
    this.config = config;
    this.modules = modules;
    this.ops = ops;
    this.onListening = onListening;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // A WebSocket upgrade must reach its route with the request unread. (A method-filtered route would
    // not do: it matches every path, which turns each unknown GET into a 405 instead of a 404.)
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    router.route().handler(ctx -> {
      if (isWebSocketUpgrade(ctx.request())) {
        ctx.next();
      } else {
        RequestGate.treatFormBodiesAsBytes(ctx.request());
        bodies.handle(ctx);
      }
    });
    router.route("/v1/*").handler(new DiscueMediaTypes());
    // Before the operational routes: a matching route clears the 405 that an earlier one found, and the
    // groups' route matches every path.
    RouteGroups.of(vertx, modules).mountOn(router);
    ops.mount(vertx, router);
    DialectFailureHandler failures = new DialectFailureHandler();
    router.route().failureHandler(failures);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 503}) {
      router.errorHandler(status, failures);
    }
    HttpServerOptions options = withoutWebSocketExtensions(new HttpServerOptions())
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(false)
        .setTcpNoDelay(true);
    server = guardConnections(vertx.createHttpServer(connectionOptions(options)), options)
        .requestHandler(request -> {
          if (ConnectionGuard.refuseOnReserve(request)) {
            return;
          }
          FerryException badHost = RequestGate.hostProblem(request);
          if (badHost != null) {
            RequestGate.answerAndClose(request, badHost);
            return;
          }
          // Before routing: route matching itself decodes the URI, and fails on a bad escape with a 500.
          FerryException badUri = RequestGate.uriProblem(request);
          if (badUri == null) {
            router.handle(request);
          } else {
            DialectFailureHandler.respond(request, badUri);
          }
        })
        .invalidRequestHandler(RequestGate::answerInvalid);
    return server.listen().onSuccess(listening -> onListening.accept(listening.actualPort()));
  }

  /**
   * No WebSocket extension is offered (permessage-deflate, or the old per-frame deflate). Netty's decoder
   * accepts reserved bits whenever the server supports one, negotiated or not; without any, a frame with
   * RSV bits is a protocol error (1002). Deflate would also cost a compressor per socket for JSON frames.
   */
  private static HttpServerOptions withoutWebSocketExtensions(HttpServerOptions options) {
    return options.setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  // Connection handling: HTTP/1.1 only, the caps and deadlines of ConnectionGuard, client faults kept quiet.
  // h2c is off: no client of the three APIs needs it, and it would be a second protocol stack to bound
  // (its own header limits, streams and flow control) that no route was designed or tested for.
  private static HttpServerOptions connectionOptions(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false);
  }

  private HttpServer guardConnections(HttpServer http, HttpServerOptions options) {
    return http
        .connectionHandler(connection -> connections.admit(connection, options))
        .exceptionHandler(ClientFailures::onConnectionException);
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown();
  }
}

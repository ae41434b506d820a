package io.ferry.contracts.runtime;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service module with one route of each kind the HTTP front treats differently: authenticated routes under
 * each dialect's prefix that echo their body, a slow route, one that fails after its answer began, a WebSocket
 * and a long-poll listen route.
 */
final class TinyModule extends BareModule {

  static final String KEY = "tiny-good-key";
  static final long SLOW_MS = 2_500;

  /** Starts a node on loopback hosting this module, with {@code settings} (config keys) on top of the basics. */
  static FerryNode start(Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put(ConfigReader.envName("http.host"), "127.0.0.1");
    env.put(ConfigReader.envName("http.port"), "0");
    env.put(ConfigReader.envName("http.instances"), "2");
    settings.forEach((key, value) -> env.put(ConfigReader.envName(key), value));
    return FerryNode.startLocal("tiny", NodeConfig.from(ConfigReader.of(env), 0), List.of(new TinyModule()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void stop(FerryNode node) throws Exception {
    if (node != null) {
      node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public String name() {
    return "tiny";
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    // As admin does: the key arrives as its hash, never as presented.
    return Bus.<AuthRequest, Principal>serve(vertx, Addresses.AUTH_AUTHENTICATE,
        request -> AuthRequest.keyHash(KEY).equals(request.keyHash())
        ? Future.succeededFuture(new Principal("acct", "tiny", List.of(Principal.ALL), false))
        : Future.failedFuture(new FerryException(ErrorCode.UNAUTHENTICATED, "missing or invalid credential")))
        .mapEmpty();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    Authentication auth = Authentication.of(vertx);
    for (String prefix : List.of("/client/v4", "/v1", "/queue")) {
      router.route(prefix + "/things/:id").handler(auth).handler(ctx -> ctx.json(new JsonObject()
          .put("id", ctx.pathParam("id")).put("received", ctx.body().asString())));
    }
    router.get("/v1/fails-midway").handler(ctx -> {
      ctx.response().setChunked(true).write("partial");
      ctx.fail(new IllegalStateException("broke mid-answer"));
    });
    router.get("/v1/slow").handler(ctx -> vertx.setTimer(SLOW_MS, t -> ctx.json(new JsonObject().put("slow", true))));
    router.get("/queue/listen/longpoll/:queue").handler(auth)
        .handler(ctx -> ctx.json(new JsonObject().put("polled", ctx.pathParam("queue"))));
    router.get("/queue/listen/ws/:queue").handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    }).handler(auth).handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> {
      // Pings as the gateway does; the socket otherwise carries nothing until the client speaks.
      long pinger = vertx.setPeriodic(200, t -> ws.writePing(io.vertx.core.buffer.Buffer.buffer("p")));
      ws.closeHandler(v -> vertx.cancelTimer(pinger));
      ws.textMessageHandler(text -> ws.writeTextMessage("echo:" + text));
    })).failureHandler(ctx -> {
      ctx.request().resume();
      ctx.next();
    });
  }
}

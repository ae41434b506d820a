package io.ferry.dispatcher;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real local HTTP server playing the webhook receiver; records what it was sent. POSTs (deliveries) go to
 * {@link #received}, GETs (liveness checks) to {@link #checks}.
 */
final class WebhookReceiver {

  record Received(String path, Map<String, List<String>> headers, String body, int remotePort, long atNanos) {
  }

  private final Vertx vertx;
  private final Map<String, Handler<HttpServerRequest>> responders = new ConcurrentHashMap<>();
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  final BlockingQueue<Received> checks = new LinkedBlockingQueue<>();
  private HttpServer server;

  WebhookReceiver(Vertx vertx) {
    this.vertx = vertx;
  }

  /** How the receiver answers requests to {@code path} (default: 204). */
  WebhookReceiver respond(String path, Handler<HttpServerRequest> responder) {
    responders.put(path, responder);
    return this;
  }

  Future<Void> start() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Map<String, List<String>> headers = new ConcurrentHashMap<>();
      request.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
      Received got = new Received(request.path(), headers, body.toString(), request.remoteAddress().port(),
          System.nanoTime());
      (request.method().name().equals("GET") ? checks : received).add(got);
      responders.getOrDefault(request.path(), r -> r.response().setStatusCode(204).end()).handle(request);
    }));
    return server.listen(0, "127.0.0.1").mapEmpty();
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }
}

package io.ferry.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;

/**
 * The machine's HTTP ceiling: the most trivial Vert.x server (200, two-byte body, one instance per core
 * as Ferry deploys its own by default), run in its own JVM by the bench: {@code java -cp ferry-bench.jar
 * io.ferry.bench.CeilingServer <port>}.
 */
public final class CeilingServer extends VerticleBase {

  private static final Buffer OK = Buffer.buffer("ok");
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
  private static final CharSequence LENGTH = HttpHeaders.createOptimized("2");

  /** What the server's start line says before its transport, for the report. */
  static final String TRANSPORT_SAYS = "network transport: ";

  private final int port;

  private CeilingServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    // On the transport Ferry runs on by default (epoll where it loads), so that the bar is not set lower than
    // the server Ferry's figures are held against.
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new CeilingServer(port), new DeploymentOptions().setInstances(instances))
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        })
        .onSuccess(id -> System.out.println("ceiling server on port " + port + ", " + instances + " instances, "
            + TRANSPORT_SAYS + transport(vertx)));
  }

  static String transport(Vertx vertx) {
    Throwable unavailable = vertx.unavailableNativeTransportCause();
    return vertx.isNativeTransportEnabled() ? "epoll"
        : unavailable == null ? "NIO" : "NIO (epoll unavailable: " + unavailable + ")";
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(request -> request.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, TEXT)
            .putHeader(HttpHeaders.CONTENT_LENGTH, LENGTH)
            .end(OK))
        .listen(port);
  }
}

package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The {@code ws-fanout} subscribers in a JVM of their own, so the bench JVM only publishes: {@code java -cp
 * ferry-bench.jar io.ferry.bench.WsSubscriberFleet <ferry port> <token> <queue> <subscribers> <control port>
 * <event loops>}. It opens the subscribers, then answers the bench on a loopback control port (plain text):
 * {@code GET /ready} (200 once all are open, 500 with the reason if opening failed, 503 before), {@code POST
 * /window?from=&to=} (publish times to measure, System.nanoTime, which is CLOCK_MONOTONIC and so shared by
 * the two JVMs on Linux), {@code POST /take} (the window's frames and latency histogram, starting afresh)
 * {@code GET /totals} (received, distinct, duplicates, out of order, closed) and {@code GET /closes} (how
 * many were closed with each code and reason).
 */
public final class WsSubscriberFleet {

  private static final int OPEN_ATTEMPTS = 3;

  private final List<WsSubscriber> subscribers = new ArrayList<>();
  private final AtomicInteger retried = new AtomicInteger();
  private volatile String state = "connecting";

  private WsSubscriberFleet() {
  }

  public static void main(String[] args) {
    Endpoint ferry = new Endpoint("127.0.0.1", Integer.parseInt(args[0]), args[1]);
    String queue = args[2];
    int clients = Integer.parseInt(args[3]);
    int controlPort = Integer.parseInt(args[4]);
    int eventLoops = Integer.parseInt(args[5]);
    // The control port needs one event loop; the sockets get event loops of their own (WsSubscriber).
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WsSubscriberFleet fleet = new WsSubscriberFleet();
    vertx.createHttpServer().requestHandler(fleet::control).listen(controlPort, "127.0.0.1")
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        })
        .onSuccess(server -> fleet.open(new WsSubscriber.Connector(ferry, eventLoops), queue, clients, eventLoops));
  }

  private void open(WsSubscriber.Connector connector, String queue, int clients, int eventLoops) {
    List<CompletableFuture<WsSubscriber>> opening = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      opening.add(open(connector, queue, OPEN_ATTEMPTS));
    }
    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).whenComplete((all, failure) -> {
      if (failure != null) {
        state = "failed: " + failure;
        return;
      }
      synchronized (subscribers) {
        opening.forEach(f -> subscribers.add(f.join()));
      }
      if (retried.get() > 0) {
        System.out.println(retried.get() + " handshakes retried");
      }
      System.out.println(clients + " subscribers open on " + eventLoops + " event loops");
      state = "ready";
    });
  }

  // 1,000 handshakes at once on two busy cores: now and then one is cut off, and is tried again.
  private CompletableFuture<WsSubscriber> open(WsSubscriber.Connector connector, String queue, int attempts) {
    return connector.open(queue).handle((subscriber, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(subscriber);
      }
      if (attempts <= 1) {
        return CompletableFuture.<WsSubscriber>failedFuture(failure);
      }
      retried.incrementAndGet();
      return open(connector, queue, attempts - 1);
    }).thenCompose(f -> f);
  }

  private void control(HttpServerRequest request) {
    String path = request.path();
    String answer;
    if (path.equals("/ready")) {
      int status = state.equals("ready") ? 200 : state.startsWith("failed") ? 500 : 503;
      request.response().setStatusCode(status).end(state);
      return;
    }
    List<WsSubscriber> all;
    synchronized (subscribers) {
      all = List.copyOf(subscribers);
    }
    switch (path) {
      case "/window" -> {
        WsSubscriber.Window window = new WsSubscriber.Window(Long.parseLong(request.getParam("from")),
            Long.parseLong(request.getParam("to")));
        all.forEach(s -> s.window(window));
        answer = "ok";
      }
      case "/take" -> {
        long frames = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (WsSubscriber subscriber : all) {
          WsSubscriber.WindowFigures figures = subscriber.takeWindow();
          frames += figures.frames();
          latency.add(figures.latency());
        }
        answer = frames + "\n" + latency.encode();
      }
      case "/totals" -> answer = total(all, WsSubscriber::received) + " " + total(all, WsSubscriber::distinct)
          + " " + total(all, WsSubscriber::duplicates) + " " + total(all, WsSubscriber::outOfOrder) + " "
          + all.stream().filter(s -> !s.isOpen()).count();
      case "/closes" -> answer = all.stream().filter(s -> s.closedWith() != null)
          .collect(java.util.stream.Collectors.groupingBy(WsSubscriber::closedWith,
              java.util.stream.Collectors.counting()))
          .entrySet().stream().map(e -> e.getValue() + " × " + e.getKey())
          .collect(java.util.stream.Collectors.joining("; "));
      default -> {
        request.response().setStatusCode(404).end();
        return;
      }
    }
    request.response().end(answer);
  }

  private static long total(List<WsSubscriber> subscribers, ToLongFunction<WsSubscriber> f) {
    return subscribers.stream().mapToLong(f).sum();
  }
}

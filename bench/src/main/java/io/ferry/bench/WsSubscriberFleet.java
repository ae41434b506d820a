package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
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
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    WsSubscriberFleet fleet = new WsSubscriberFleet();
    vertx.createHttpServer().requestHandler(fleet::control).listen(controlPort, "127.0.0.1")
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        })
        .onSuccess(server -> fleet.open(vertx, ferry, queue, clients, eventLoops));
  }

  // One verticle per event loop, each opening its share: a socket stays on the event loop of the context that
  // opened it, so opening them all from one context would leave the other event loops idle.
  private void open(Vertx vertx, Endpoint ferry, String queue, int clients, int eventLoops) {
    List<Future<String>> groups = new ArrayList<>();
    for (int g = 0; g < eventLoops; g++) {
      int share = clients / eventLoops + (g < clients % eventLoops ? 1 : 0);
      groups.add(vertx.deployVerticle(new Group(ferry, queue, share)));
    }
    Future.all(groups).onComplete(done -> {
      if (done.failed()) {
        state = "failed: " + done.cause();
        return;
      }
      System.out.println(clients + " subscribers open on " + eventLoops + " event loops");
      state = "ready";
    });
  }

  private final class Group extends VerticleBase {

    private final Endpoint ferry;
    private final String queue;
    private final int share;

    Group(Endpoint ferry, String queue, int share) {
      this.ferry = ferry;
      this.queue = queue;
      this.share = share;
    }

    // 1,000 handshakes at once on two busy cores: now and then one is cut off, and is tried again.
    private Future<WsSubscriber> open(WebSocketClient client, int attempts) {
      return WsSubscriber.open(client, ferry, queue).recover(failure -> {
        if (attempts <= 1) {
          return Future.failedFuture(failure);
        }
        retried.incrementAndGet();
        return open(client, attempts - 1);
      });
    }

    @Override
    public Future<?> start() {
      WebSocketClient client = WsSubscriber.client(vertx, share);
      List<Future<WsSubscriber>> opening = new ArrayList<>();
      for (int i = 0; i < share; i++) {
        opening.add(open(client, OPEN_ATTEMPTS));
      }
      return Future.all(opening).onSuccess(all -> {
        if (retried.get() > 0) {
          System.out.println(retried.get() + " handshakes retried");
        }
        synchronized (subscribers) {
          opening.forEach(f -> subscribers.add(f.result()));
        }
      });
    }
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

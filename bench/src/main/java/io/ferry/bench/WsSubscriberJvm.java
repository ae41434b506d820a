package io.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bench's handle on a {@link WsSubscriberFleet} child JVM: starts it, waits for its subscribers to be open,
 * and asks it over its loopback control port for the figures {@link WsFanOutScenario} reports.
 */
final class WsSubscriberJvm implements AutoCloseable {

  // Small heap and two event loops: 1,000 sockets need little, and the JVM shares two cores with Ferry.
  private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
  static final int EVENT_LOOPS = 2;

  record Totals(long received, long distinct, long duplicates, long outOfOrder, long closed) {
  }

  private final ChildJvm jvm;
  private final Path dir;
  private final String control;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private WsSubscriberJvm(ChildJvm jvm, Path dir, int port) {
    this.jvm = jvm;
    this.dir = dir;
    this.control = "http://127.0.0.1:" + port;
  }

  static WsSubscriberJvm start(Endpoint ferry, String queue, int clients, Duration connect) throws Exception {
    int port = Ports.free();
    Path dir = Files.createTempDirectory("ferry-bench-subscribers-");
    String benchJar = Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString();
    List<String> args = new java.util.ArrayList<>(JVM_OPTIONS);
    args.addAll(List.of("-cp", benchJar, WsSubscriberFleet.class.getName(), Integer.toString(ferry.port()),
        ferry.token(), queue, Integer.toString(clients), Integer.toString(port), Integer.toString(EVENT_LOOPS)));
    WsSubscriberJvm subscribers = new WsSubscriberJvm(ChildJvm.start("subscribers", args, dir, Map.of()), dir,
        port);
    try {
      subscribers.awaitReady(connect);
    } catch (Exception e) {
      subscribers.close();
      throw e;
    }
    return subscribers;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException("subscriber JVM exited:\n" + jvm.outputTail());
      }
      try {
        HttpResponse<String> reply = call("GET", "/ready");
        if (reply.statusCode() == 200) {
          return;
        }
        if (reply.statusCode() == 500) {
          throw new IllegalStateException("subscribers could not open: " + reply.body());
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("subscribers not open within " + timeout + ":\n" + jvm.outputTail());
  }

  ProcessHandle process() {
    return jvm.process();
  }

  void window(WsSubscriber.Window window) throws Exception {
    expectOk(call("POST", "/window?from=" + window.from() + "&to=" + window.to()));
  }

  /** The current window's frames and latency, over all subscribers; the window starts afresh. */
  WsSubscriber.WindowFigures takeWindow() throws Exception {
    String[] lines = expectOk(call("POST", "/take")).split("\n", 2);
    return new WsSubscriber.WindowFigures(Long.parseLong(lines[0].trim()), LatencyHistogram.decode(lines[1]));
  }

  Totals totals() throws Exception {
    String[] n = expectOk(call("GET", "/totals")).trim().split(" ");
    return new Totals(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]), Long.parseLong(n[3]),
        Long.parseLong(n[4]));
  }

  /** How many subscribers Ferry closed with each code and reason, e.g. {@code 1000 × 1008 <reason>}. */
  String closes() throws Exception {
    return expectOk(call("GET", "/closes"));
  }

  private HttpResponse<String> call(String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(control + path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String expectOk(HttpResponse<String> reply) {
    if (reply.statusCode() != 200) {
      throw new IllegalStateException("subscriber JVM answered " + reply.statusCode() + " to " + reply.uri());
    }
    return reply.body();
  }

  @Override
  public void close() throws Exception {
    try {
      jvm.stop(Duration.ofSeconds(30));
    } catch (IllegalStateException stuck) {
      jvm.kill();
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }
}

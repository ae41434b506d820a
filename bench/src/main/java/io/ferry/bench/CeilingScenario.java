package io.ferry.bench;

import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The machine's HTTP ceiling: {@link CeilingServer} in its own JVM, driven by the same load generator as
 * Ferry. Every Ferry figure is read against it (TARGETS.md: 75–83k req/s with wrk on this kind of machine).
 */
final class CeilingScenario implements RoundScenario {

  @Override
  public String id() {
    return "ceiling";
  }

  @Override
  public String title() {
    return "ceiling: trivial Vert.x server";
  }

  @Override
  public String unit() {
    return "req/s";
  }

  @Override
  public List<Integer> clientCounts() {
    return List.of(64);
  }

  @Override
  public Target target(int clients) {
    return Target.reference(75_000, "ref. 75–83k req/s (wrk)");
  }

  @Override
  public Workload prepare(BenchContext context, int clients) throws Exception {
    int port = Ports.free();
    Path dir = Files.createTempDirectory("ferry-bench-ceiling-");
    String benchJar = Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString();
    ChildJvm server = ChildJvm.start("ceiling", List.of("-cp", benchJar, CeilingServer.class.getName(),
        Integer.toString(port)), dir, Map.of());
    try {
      server.awaitOk("http://127.0.0.1:" + port + "/", Duration.ofSeconds(30));
    } catch (Exception e) {
      server.kill();
      deleteDirectory(dir);
      throw e;
    }
    return new CeilingWorkload(server, dir, port);
  }

  private static void deleteDirectory(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }

  private record CeilingWorkload(ChildJvm server, Path dir, int port) implements Workload {

    @Override
    public Endpoint endpoint() {
      return new Endpoint("127.0.0.1", port, null);
    }

    @Override
    public Future<Integer> round(ClientConnection client) {
      return client.get("/").map(body -> 1);
    }

    @Override
    public List<String> notes() {
      String said = server.outputTail().lines().filter(line -> line.contains(CeilingServer.TRANSPORT_SAYS))
          .map(line -> line.substring(line.indexOf(CeilingServer.TRANSPORT_SAYS))).findFirst()
          .orElse("network transport: not reported (" + server.outputTail() + ")");
      return List.of("the ceiling server's " + said);
    }

    @Override
    public void close() throws Exception {
      server.stop(Duration.ofSeconds(30));
      deleteDirectory(dir);
    }
  }
}

package io.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Redis server for the {@code --peers} rows: loopback only, a fresh directory, the append-only
 * file fsynced before every write is answered ({@code appendfsync always}) and no RDB snapshots, so its
 * durability matches Ferry's fsync before every answer.
 */
final class BenchRedis implements AutoCloseable {

  static final List<String> SETTINGS = List.of("appendonly yes", "appendfsync always", "save \"\"");
  private static final long READY_SECONDS = 30;
  private static final int TAIL_LINES = 30;

  private final Process process;
  private final Path dir;
  private final int port;
  private final String version;
  private final ArrayDeque<String> tail = new ArrayDeque<>();

  private BenchRedis(Process process, Path dir, int port, String version) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.version = version;
  }

  /** Starts {@code redis-server} from the PATH; fails with a reason a skipped row can show. */
  static BenchRedis start() throws Exception {
    String binary = executable();
    Path dir = Files.createTempDirectory("ferry-bench-redis-");
    int port = Ports.free();
    Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--daemonize", "no", "--protected-mode", "yes", "--logfile", "")
        .redirectErrorStream(true).start();
    BenchRedis redis = new BenchRedis(process, dir, port, versionOf(binary));
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> redis.follow(ready), "bench-redis-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      redis.kill();
      throw new IllegalStateException("redis-server did not become ready in " + READY_SECONDS + " s: "
          + redis.outputTail(), e);
    }
    return redis;
  }

  int port() {
    return port;
  }

  String version() {
    return version;
  }

  ProcessHandle process() {
    return process.toHandle();
  }

  synchronized String outputTail() {
    return String.join("\n", tail);
  }

  void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private void follow(CompletableFuture<Void> ready) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        synchronized (this) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        if (line.contains("Ready to accept connections")) {
          ready.complete(null);
        }
      }
    } catch (IOException ignored) {
      // the process ended; ready fails below
    }
    ready.completeExceptionally(new IllegalStateException("redis-server exited"));
  }

  private static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("redis-server is not on the PATH (Debian: apt-get install redis-server)");
  }

  private static String versionOf(String binary) throws Exception {
    Process probe = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
    String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    probe.waitFor(10, TimeUnit.SECONDS);
    return text.isEmpty() ? "redis-server" : text.split(" sha=")[0];
  }
}

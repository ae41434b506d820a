package io.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM the bench starts (Ferry, the ceiling server), with its output kept in a log file. */
final class ChildJvm {

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmArgs>} in {@code workDir}; the bench's own FERRY_* variables are not passed on. */
  static ChildJvm start(String name, List<String> jvmArgs, Path workDir, Map<String, String> env)
      throws IOException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As Ferry is run in production: an OutOfMemoryError ends the process rather than leaving a zombie.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(jvmArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
    builder.environment().putAll(env);
    return new ChildJvm(name, builder.start(), log);
  }

  ProcessHandle process() {
    return process.toHandle();
  }

  long pid() {
    return process.pid();
  }

  /** Waits until {@code url} answers 200; fails with the end of the process output if it never does. */
  void awaitOk(String url, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + outputTail());
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + outputTail());
  }

  /** SIGTERM, then the exit code; kill -9 and an exception if it has not stopped within {@code timeout}. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not stop within " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  /** kill -9 and a short wait for the process to be gone: for failures and the shutdown hook. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Copies the log and a thread dump ({@code jcmd <pid> Thread.print}) of a process still running into a new
   * directory outside the work directory, which the bench deletes; its path, or why nothing was kept.
   */
  String keepDiagnostics() {
    try {
      Path kept = Files.createTempDirectory(name + "-failure-");
      if (Files.exists(log)) {
        Files.copy(log, kept.resolve(log.getFileName()));
      }
      if (process.isAlive()) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
            .redirectErrorStream(true).redirectOutput(kept.resolve("threads.txt").toFile()).start();
        if (!dump.waitFor(30, TimeUnit.SECONDS)) {
          dump.destroyForcibly();
        }
      }
      return name + "'s log and a thread dump taken at the failure: " + kept;
    } catch (IOException e) {
      return "(" + name + "'s log and threads not kept: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted while keeping " + name + "'s log and threads)";
    }
  }

  String outputTail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable log " + log + ": " + e + ")";
    }
  }
}

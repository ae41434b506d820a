package io.ferry.system;

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
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A Ferry jar running as a separate JVM, as a user would start it, with its output kept in a file. */
final class FerryProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final int httpPort;

  private FerryProcess(String name, Process process, Path log, int httpPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Starts {@code java -jar jar} with the given FERRY_* environment in {@code workDir}. */
  static FerryProcess start(String name, String jarProperty, Path workDir, int httpPort, Map<String, String> env)
      throws IOException {
    return start(name, jarProperty, workDir, httpPort, env, List.of());
  }

  /** As {@link #start(String, String, Path, int, Map)}, with JVM options after the defaults (they win). */
  static FerryProcess start(String name, String jarProperty, Path workDir, int httpPort, Map<String, String> env,
      List<String> jvmOptions) throws IOException {
    return start(name, jarProperty, workDir, httpPort, env, jvmOptions, List.of());
  }

  /** As {@link #start(String, String, Path, int, Map, List)}, with command-line arguments for Ferry. */
  static FerryProcess start(String name, String jarProperty, Path workDir, int httpPort, Map<String, String> env,
      List<String> jvmOptions, List<String> args) throws IOException {
    String jar = System.getProperty(jarProperty);
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("jar not built: " + jarProperty + " = " + jar);
    }
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small, quick-starting JVMs: several share two cores during the cluster tests.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        // As Ferry is documented to run: an OutOfMemoryError ends the process instead of leaving a zombie.
        "-XX:+ExitOnOutOfMemoryError",
        // Pauses next to the process's log, one file per run: a stall in a failover test is often a collection.
        "-Xlog:gc:file=" + workDir.resolve(name + "-gc-%p.log") + ":time,uptime"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
    builder.environment().put("FERRY_HTTP_PORT", Integer.toString(httpPort));
    builder.environment().putAll(env);
    return new FerryProcess(name, builder.start(), log, httpPort);
  }

  /** Starts {@code java -cp <this test's classpath> mainClass args} (a helper process of the test itself). */
  static FerryProcess startMain(String name, Class<?> mainClass, Path workDir, List<String> args) throws IOException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
    return new FerryProcess(name, builder.start(), log, 0);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  int httpPort() {
    return httpPort;
  }

  /** Waits until {@code /health/ready} answers 200, failing with the process output if it never does. */
  FerryProcess awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    try {
      Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
          .until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          });
    } catch (ConditionTimeoutException notReady) {
      throw new AssertionError(name + " not ready within " + timeout + ":\n" + output(), notReady);
    }
    return this;
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process keeps its sockets but runs nothing, as in a long GC pause or a frozen VM. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM, then the exit code once the process has stopped by itself. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not stop within " + timeout + " after SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits for the process to end by itself and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}

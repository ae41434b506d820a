package io.ferry.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The repository's examples/ as the tests run them: each one copied under target/examples with its npm
 * dependencies installed by {@code npm ci}, which runs again only when the example's lockfile changed.
 */
final class NodeExamples {

  private static final Path SOURCES = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
  private static final Path COPIES = Path.of(System.getProperty("user.dir"), "target", "examples");

  private NodeExamples() {
  }

  static Path sources() {
    return SOURCES;
  }

  /**
   * Fails when node or npm is missing and {@code FERRY_TEST_NODE_REQUIRED=1} (set by CI, which installs them);
   * elsewhere skips the calling test, loudly, so the rest of the suite still runs.
   */
  static void requireNode() {
    List<String> missing = Stream.of("node", "npm").filter(tool -> !onPath(tool)).toList();
    if (missing.isEmpty()) {
      return;
    }
    String message = "the examples tests need Node.js (" + String.join(", ", missing)
        + " not found): apt-get install nodejs npm";
    if ("1".equals(System.getenv("FERRY_TEST_NODE_REQUIRED"))) {
      throw new IllegalStateException(message);
    }
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  /** A fresh copy of the example's files, with node_modules from a previous run kept unless the lockfile changed. */
  static Path install(String example) throws Exception {
    Path source = SOURCES.resolve(example);
    Path copy = COPIES.resolve(example);
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, copy.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path installed = copy.resolve("node_modules/.installed-lock.json");
    byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
    if (!Files.exists(installed) || !Arrays.equals(lock, Files.readAllBytes(installed))) {
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(copy.toFile()).redirectErrorStream(true)
          .redirectOutput(copy.resolve("npm-ci.log").toFile()).start();
      if (!npm.waitFor(3, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new AssertionError("npm ci in " + copy + " did not finish within 3 minutes");
      }
      if (npm.exitValue() != 0) {
        throw new AssertionError("npm ci in " + copy + " failed:\n" + Files.readString(copy.resolve("npm-ci.log")));
      }
      Files.write(installed, lock);
    }
    return copy;
  }

  /** Starts {@code node script args} in the directory, with only the given FERRY_* environment. */
  static Running start(Path directory, Map<String, String> env, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(directory, script.replace(".js", "-"), ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_"));
    builder.environment().putAll(env);
    return new Running(builder.start(), log);
  }

  /** A running node script and its output so far. */
  record Running(Process process, Path log) implements AutoCloseable {

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for the script to end by itself and returns its output, failing with it on a non-zero exit. */
    String awaitSuccess(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("still running after " + timeout + ":\n" + output());
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("exit " + process.exitValue() + ":\n" + output());
      }
      return output();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }
}

package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts start Java with -XX:+ExitOnOutOfMemoryError: a JVM whose event loops died of an
 * OutOfMemoryError otherwise stays up answering nothing, and its supervisor never restarts it. Each script
 * runs from a copy of the repository's layout with a stand-in {@code java} that records its arguments.
 */
class LauncherScriptsTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir
  Path dir;

  @Test
  void ferryStartsTheStandaloneJarExitingOnOutOfMemory() throws Exception {
    copy("ferry");
    touch("standalone/target/ferry-standalone.jar");
    assertEquals("-XX:+ExitOnOutOfMemoryError -Xmx64m -jar standalone/target/ferry-standalone.jar --config f.json",
        run(List.of("ferry", "--config", "f.json")));
  }

  @Test
  void benchRunStartsTheLoadGeneratorExitingOnOutOfMemory() throws Exception {
    copy("bench/run");
    touch("standalone/target/ferry-standalone.jar");
    touch("bench/target/ferry-bench.jar");
    assertEquals("-XX:+ExitOnOutOfMemoryError -Xmx64m -jar bench/target/ferry-bench.jar --quick",
        run(List.of("bench/run", "--no-build", "--quick")));
  }

  private String run(List<String> script) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    Path args = dir.resolve("java-args");
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\necho \"$@\" > '" + args + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(script);
    command.set(0, dir.resolve(script.get(0)).toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("JAVA_OPTS", "-Xmx64m");
    builder.environment().put("BENCH_JAVA_OPTS", "-Xmx64m");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(30, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), output);
    return Files.readString(args).trim();
  }

  private void copy(String script) throws IOException {
    Path target = dir.resolve(script);
    Files.createDirectories(target.getParent());
    Files.copy(ROOT.resolve(script), target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void touch(String file) throws IOException {
    Path target = dir.resolve(file);
    Files.createDirectories(target.getParent());
    Files.writeString(target, "not a jar");
  }
}

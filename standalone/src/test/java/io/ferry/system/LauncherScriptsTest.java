package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * runs from a copy of the repository's layout with a stand-in {@code java} (and {@code mvn}) that records its
 * arguments. {@code ./ferry} must run a private copy of the jar, since {@code mvn verify} rewrites target/.
 */
class LauncherScriptsTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir
  Path dir;

  @Test
  void ferryStartsTheStandaloneJarExitingOnOutOfMemory() throws Exception {
    copy("ferry");
    touch("standalone/target/ferry-standalone.jar");
    assertTrue(run(List.of("ferry", "--config", "f.json"))
            .matches("-XX:\\+ExitOnOutOfMemoryError -Xmx64m -jar \\.ferry/run/ferry-[0-9]+\\.jar --config f\\.json"),
        Files.readString(dir.resolve("java-args")));
  }

  /** `./ferry` then `mvn verify`: the build rewrites target/, the running server must not be reading it. */
  @Test
  void ferryRunsAPrivateCopyThatARebuildLeavesAlone() throws Exception {
    copy("ferry");
    Files.writeString(touch("standalone/target/ferry-standalone.jar"), "build 1");
    Path running = dir.resolve(jarOf(run(List.of("ferry"))));
    assertNotEquals(dir.resolve("standalone/target/ferry-standalone.jar").normalize(), running.normalize());
    assertEquals("build 1", Files.readString(running));

    Files.writeString(dir.resolve("standalone/target/ferry-standalone.jar"), "build 2");
    assertEquals("build 1", Files.readString(running), "the running server's jar changed under it");

    Path next = dir.resolve(jarOf(run(List.of("ferry"))));
    assertNotEquals(running, next);
    assertEquals("build 2", Files.readString(next));
  }

  @Test
  void ferryBuildsQuietlyWithoutColourAndSaysSo() throws Exception {
    copy("ferry");
    fakeMvn("mkdir -p standalone/target && echo built > standalone/target/ferry-standalone.jar\n");
    run(List.of("ferry"));
    String mvnArgs = Files.readString(dir.resolve("mvn-args"));
    assertTrue(mvnArgs.contains("-Dstyle.color=never") && mvnArgs.contains("-q"), mvnArgs);
    assertTrue(lastOutput.contains("Building Ferry") && lastOutput.contains("Built in"), lastOutput);
    assertFalse(lastOutput.contains("\u001b["), lastOutput);
  }

  @Test
  void ferryShowsMavensOutputWhenTheBuildFails() throws Exception {
    copy("ferry");
    fakeMvn("echo '[ERROR] COMPILATION ERROR in Foo.java'\nexit 1\n");
    Process process = start(List.of("ferry"));
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(30, TimeUnit.SECONDS);
    assertEquals(1, process.exitValue(), output);
    assertTrue(output.contains("COMPILATION ERROR in Foo.java") && output.contains("Build failed"), output);
    assertFalse(Files.exists(dir.resolve("java-args")), "java started after a failed build");
  }

  @Test
  void benchRunStartsTheLoadGeneratorExitingOnOutOfMemory() throws Exception {
    copy("bench/run");
    touch("standalone/target/ferry-standalone.jar");
    touch("bench/target/ferry-bench.jar");
    assertEquals("-XX:+ExitOnOutOfMemoryError -Xmx64m -jar bench/target/ferry-bench.jar --quick",
        run(List.of("bench/run", "--no-build", "--quick")));
  }

  private String lastOutput = "";

  private String run(List<String> script) throws IOException, InterruptedException {
    Process process = start(script);
    lastOutput = new String(process.getInputStream().readAllBytes());
    process.waitFor(30, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), lastOutput);
    return Files.readString(dir.resolve("java-args")).trim();
  }

  private Process start(List<String> script) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    executable(bin.resolve("java"), "echo \"$@\" > '" + dir.resolve("java-args") + "'\n");
    List<String> command = new ArrayList<>(script);
    command.set(0, dir.resolve(script.get(0)).toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("JAVA_OPTS", "-Xmx64m");
    builder.environment().put("BENCH_JAVA_OPTS", "-Xmx64m");
    return builder.start();
  }

  private void fakeMvn(String body) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    executable(bin.resolve("mvn"), "echo \"$@\" > '" + dir.resolve("mvn-args") + "'\n" + body);
  }

  private static void executable(Path file, String body) throws IOException {
    Files.writeString(file, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String jarOf(String javaArgs) {
    List<String> args = List.of(javaArgs.split(" "));
    return args.get(args.indexOf("-jar") + 1);
  }

  private void copy(String script) throws IOException {
    Path target = dir.resolve(script);
    Files.createDirectories(target.getParent());
    Files.copy(ROOT.resolve(script), target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Path touch(String file) throws IOException {
    Path target = dir.resolve(file);
    Files.createDirectories(target.getParent());
    return Files.writeString(target, "not a jar");
  }
}

package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command blocks of README.md's "First steps" section against a started Ferry, twice, as a user
 * pasting them would: every ```sh block preceded by {@code <!-- readme-test -->} is executed, all of them in one
 * {@code bash -euo pipefail} session so that variables carry from one block to the next.
 *
 * <p>Substitutions before running (the only differences from what a user pastes): {@code localhost:8080}
 * becomes the test server's port, {@code KEY=fry_...} the test's bootstrap key, and every {@code 9000} (the
 * example webhook receiver's port) a free port. The {@code npx wscat} line is outside the executed blocks: it
 * would need Node.js and the npm registry.
 */
class ReadmeIT {

  private static final String KEY = "fry_readme-test-bootstrap-key";
  private static final String DONE = "README-BLOCKS-DONE";
  private static final Duration RUN = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void firstStepsWorkWhenPastedAndWhenPastedAgain() throws Exception {
    int port = Ports.free();
    try (FerryProcess ferry = FerryProcess.start("readme", "ferry.standalone.jar", dir.resolve("ferry"), port,
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_WEBHOOKS_ALLOW_LIST", "127.0.0.0/8"))) {
      ferry.awaitReady(Duration.ofSeconds(90));
      String script = script(port, Ports.free());
      String first = run(script, "first");
      assertEquals(1, count(first, "\"data\":{\"invoice\":7}"), first);
      run(script, "second");
    }
  }

  // curl prints the API's answers without a trailing newline, so the decoded body and the empty pull follow them
  // on the same line.
  /** Runs the script until its last block is done and the webhook receiver printed a signed delivery. */
  private String run(String script, String name) throws Exception {
    Path out = dir.resolve(name + ".out");
    Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script + "\necho " + DONE + "\nwait\n")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      Awaitility.await(name + " run of the README blocks").atMost(RUN).pollInterval(Duration.ofMillis(200))
          .until(() -> !bash.isAlive() || (read(out).contains(DONE) && read(out).contains("\"invoice\":7}}")));
      String output = read(out);
      assertTrue(bash.isAlive(), "README blocks failed (exit " + (bash.isAlive() ? "-" : bash.exitValue()) + "):\n"
          + output);
      assertTrue(output.contains("{\"id\":42}\n"), "pulled body not decoded:\n" + output);
      assertTrue(output.contains("}[]\n"), "second pull after the ack not empty:\n" + output);
      assertTrue(Pattern.compile("(?m)^v1,\\S+ \\{.*\"queue_name\":\"invoices\".*\"data\":\\{\"invoice\":7}}$")
          .matcher(output).find(), "no signed webhook delivery:\n" + output);
      assertFalse(output.contains("null/") || output.contains("\"success\":false"), output);
      return output;
    } finally {
      bash.descendants().forEach(ProcessHandle::destroy);
      bash.destroy();
      bash.waitFor();
    }
  }

  private static String script(int port, int receiverPort) throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../README.md"));
    int start = readme.indexOf("## First steps");
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end);
    List<String> blocks = new ArrayList<>();
    Matcher block = Pattern.compile("<!-- readme-test -->\n```sh\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (block.find()) {
      blocks.add(block.group(1));
    }
    assertEquals(2, blocks.size(), "executable blocks in First steps:\n" + section);
    return String.join("\n", blocks)
        .replace("localhost:8080", "localhost:" + port)
        .replace("KEY=fry_...", "KEY=" + KEY)
        .replace("9000", Integer.toString(receiverPort));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}

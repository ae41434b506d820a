package io.ferry.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

  @TempDir
  Path tmp;

  /** A failed scenario keeps the process's log and its threads where the bench's cleanup does not reach. */
  @Test
  void diagnosticsKeepTheLogAndAThreadDumpOfTheRunningProcess() throws Exception {
    Path program = tmp.resolve("Stalled.java");
    Files.writeString(program, "class Stalled { public static void main(String[] a) throws Exception { "
        + "System.out.println(\"stalled and waiting\"); Thread.sleep(120_000); } }");
    ChildJvm jvm = ChildJvm.start("stalled", List.of(program.toString()), tmp.resolve("work"), Map.of());
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> jvm.outputTail().contains("stalled and waiting"));

      String kept = jvm.keepDiagnostics();

      Path dir = Path.of(kept.substring(kept.lastIndexOf(": ") + 2));
      assertTrue(Files.readString(dir.resolve("stalled.log")).contains("stalled and waiting"), kept);
      String threads = Files.readString(dir.resolve("threads.txt"));
      assertTrue(threads.contains("\"main\"") && threads.contains("Stalled.main"), threads);
    } finally {
      jvm.kill();
    }
  }
}

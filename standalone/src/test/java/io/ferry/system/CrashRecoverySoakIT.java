package io.ferry.system;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability figure of TARGETS.md: at least 1,000,000 messages pushed with a 200 across at least 20
 * kill -9 restarts under load, 0 lost, no acked message redelivered, duplicates only for messages in flight.
 * Slow: runs with {@code mvn verify -Pslow}.
 */
@Tag("slow")
class CrashRecoverySoakIT {

  static final CrashLoadDriver.Plan PLAN = new CrashLoadDriver.Plan("crash-recovery-soak",
      4, 4, 100, 50, 100, 2_000, 500, 20, 1_000_000, Duration.ofSeconds(4), Duration.ofSeconds(10), 50_000,
      Duration.ofMinutes(20));

  @TempDir
  Path dir;

  @Test
  void millionMessagesAcrossTwentyKillsLoseNothing() throws Exception {
    new CrashLoadDriver(PLAN, dir).run();
  }
}

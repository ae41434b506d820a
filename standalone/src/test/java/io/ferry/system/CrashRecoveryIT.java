package io.ferry.system;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test, short form: kill -9 the standalone process at random moments (6 times) while clients
 * push, pull and ack; after the last restart every push answered 200 was acked or is still there, no acked
 * message came back, and every duplicate is explained by a lease in flight at a kill, expired or retried.
 */
class CrashRecoveryIT {

  static final CrashLoadDriver.Plan PLAN = new CrashLoadDriver.Plan("crash-recovery",
      3, 4, 20, 4, 50, 1_500, 40, 6, 10_000, Duration.ofSeconds(2), Duration.ofSeconds(5), 8_000,
      Duration.ofSeconds(150));

  @TempDir
  Path dir;

  @Test
  void noPushAnswered200IsLostAndNoAckedMessageComesBackAcrossKills() throws Exception {
    new CrashLoadDriver(PLAN, dir).run();
  }
}

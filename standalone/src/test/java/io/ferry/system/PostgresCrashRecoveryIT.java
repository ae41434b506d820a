package io.ferry.system;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashRecoveryIT} with the standalone jar's storage on PostgreSQL, a little shorter: kill -9 of Ferry
 * at random moments (4 times) under load; every push answered 200 was acked or is still there, no acked message
 * came back.
 */
class PostgresCrashRecoveryIT {

  static final CrashLoadDriver.Plan PLAN = new CrashLoadDriver.Plan("crash-recovery-postgres",
      3, 4, 20, 4, 50, 1_500, 40, 4, 6_000, Duration.ofSeconds(2), Duration.ofSeconds(5), 8_000,
      Duration.ofSeconds(150));

  @TempDir
  Path dir;

  @Test
  void noPushAnswered200IsLostAndNoAckedMessageComesBackAcrossKills() throws Exception {
    new CrashLoadDriver(PLAN, dir, PostgresStorage.freshSchema(), CrashLoadDriver.KILL_AND_RESTART).run();
  }
}

package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsAreTheFullRun() {
    BenchOptions options = BenchOptions.parse(new String[0]);
    assertEquals(Duration.ofSeconds(10), options.ferryWarmup());
    assertEquals(Duration.ofSeconds(3), options.warmup());
    assertEquals(Duration.ofSeconds(5), options.run());
    assertEquals(3, options.runs());
  }

  @Test
  void quickShortensTheRuns() {
    BenchOptions options = BenchOptions.parse(new String[] {"--quick"});
    assertEquals(Duration.ofSeconds(10), options.ferryWarmup(), "Ferry's own warm-up is not shortened");
    assertEquals(Duration.ofSeconds(1), options.warmup());
    assertEquals(Duration.ofSeconds(2), options.run());
  }

  @Test
  void onlySelectsScenariosAndKeepsTheCeiling() {
    BenchOptions options = BenchOptions.parse(new String[] {"--only", "pull-ack,single-push"});
    assertEquals(Set.of("pull-ack", "single-push"), options.only());
    assertTrue(options.selects(new PullAckScenario()));
    assertFalse(options.selects(PushScenario.batch()));
    assertTrue(options.selects(new CeilingScenario()));
    assertFalse(BenchOptions.parse(new String[] {"--no-ceiling"}).selects(new CeilingScenario()));
  }

  @Test
  void explicitDurationsBeatQuick() {
    BenchOptions options = BenchOptions.parse(new String[] {"--quick", "--duration", "7", "--runs", "5"});
    assertEquals(Duration.ofSeconds(7), options.run());
    assertEquals(5, options.runs());
  }

  @Test
  void profileIsForTheStandaloneFerry() {
    assertFalse(BenchOptions.parse(new String[0]).profile());
    assertTrue(BenchOptions.parse(new String[] {"--profile", "--quick"}).profile());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--cluster", "--profile"}));
    assertTrue(e.getMessage().contains("--profile"), e.getMessage());
  }

  @Test
  void badValuesNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--runs", "zero"}));
    assertTrue(e.getMessage().contains("--runs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--duration"}));
    assertTrue(e.getMessage().contains("--duration needs a value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--fast"}));
    assertTrue(e.getMessage().contains("unknown option --fast"), e.getMessage());
  }

  @Test
  void storageIsRocksDbUnlessPostgresIsAsked() {
    BenchOptions rocks = BenchOptions.parse(new String[0]);
    assertEquals(BenchOptions.Storage.ROCKSDB, rocks.storage());
    assertFalse(rocks.onPostgres());
    BenchOptions pg = BenchOptions.parse(new String[] {"--storage", "postgres", "--quick"});
    assertEquals(BenchOptions.Storage.POSTGRES, pg.storage());
    assertTrue(pg.onPostgres());
    assertEquals(Duration.ofSeconds(2), pg.run());
    assertEquals(BenchOptions.Storage.ROCKSDB, BenchOptions.parse(new String[] {"--storage", "rocksdb"}).storage());
  }

  @Test
  void eachStorageWritesItsOwnLatestTableUnlessOutIsGiven() {
    assertEquals("latest.md", BenchOptions.parse(new String[0]).output().getFileName().toString());
    assertEquals("latest-postgres.md",
        BenchOptions.parse(new String[] {"--storage", "postgres"}).output().getFileName().toString());
    assertEquals(Path.of("/tmp/x.md"),
        BenchOptions.parse(new String[] {"--storage", "postgres", "--out", "/tmp/x.md"}).output());
  }

  @Test
  void peerRowsRunOnlyOnPostgres() {
    assertFalse(BenchOptions.parse(new String[0]).selects(PeerQueueScenario.produce()));
    BenchOptions pg = BenchOptions.parse(new String[] {"--storage", "postgres"});
    assertTrue(pg.selects(PeerQueueScenario.produce()));
    assertTrue(pg.selects(PeerQueueScenario.consume()));
    assertTrue(pg.selects(new PullAckScenario()));
    BenchOptions onlyPull = BenchOptions.parse(new String[] {"--storage", "postgres", "--only", "pull-ack"});
    assertFalse(onlyPull.selects(PeerQueueScenario.consume()));
  }

  @Test
  void unknownStorageIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--storage", "mysql"}));
    assertEquals("--storage must be rocksdb or postgres, got 'mysql'", e.getMessage());
  }
}

package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import io.ferry.standalone.StandaloneMain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry backup} against a running in-process Ferry, {@code ferry restore} with it stopped. */
class BackupRestoreTest {

  private static final String KEY = "backup-restore-test-bootstrap-key-0123456789";

  @TempDir
  Path dir;

  private FerryNode node;
  private String base;

  record Result(int code, String out, String err) {
  }

  @AfterEach
  void stopFerry() throws Exception {
    stop();
  }

  @Test
  void restoreBringsBackWhatTheBackupHeldAndNotWhatCameAfter() throws Exception {
    Path data = dir.resolve("data");
    start(data);
    HttpJson.Reply queue = new HttpJson(KEY).post(base + "/v1/queues", new JsonObject().put("name", "ledger"));
    assertEquals(200, queue.status(), queue::toString);
    assertEquals(0, ferry("messages", "push", "ledger", "{\"n\":1}").code());
    assertEquals(0, ferry("messages", "push", "ledger", "{\"n\":2}").code());
    Result backup = ferry("backup", "nightly", "--json");
    assertEquals(0, backup.code(), backup::toString);
    JsonObject manifest = new JsonObject(backup.out().strip());
    Path backupDir = data.resolve("backups/nightly").toAbsolutePath();
    assertEquals(backupDir.toString(), manifest.getString("path"), backup::toString);
    assertEquals(List.of("admin", "messaging"), manifest.getJsonArray("stores").stream()
        .map(store -> ((JsonObject) store).getString("store")).toList(), backup::toString);
    assertTrue(Files.isRegularFile(backupDir.resolve("manifest.json")));
    assertEquals(0, ferry("messages", "push", "ledger", "{\"n\":3}").code());
    stop();

    Result restored = cli(Map.of("FERRY_STORAGE_DATA_DIR", data.toString()), "restore", backupDir.toString());
    assertEquals(0, restored.code(), restored::toString);
    try (Stream<Path> entries = Files.list(data)) {
      assertEquals(2, entries.filter(p -> p.getFileName().toString().matches("(admin|messaging)\\.before-restore-.*"))
          .count(), restored::toString);
    }

    start(data);
    Result peeked = ferry("messages", "peek", "ledger", "--count", "10", "--json");
    assertEquals(0, peeked.code(), peeked::toString);
    assertEquals(List.of(1, 2), new JsonArray(peeked.out().strip()).stream()
        .map(m -> ((JsonObject) m).getJsonObject("data").getInteger("n")).sorted().toList(), peeked::toString);
  }

  @Test
  void backupRefusesMissingOrNonRootKeysAndBadNames() throws Exception {
    Path data = dir.resolve("data");
    start(data);
    assertEquals(4, cli(Map.of("FERRY_URL", base), "backup").code());
    Result created = ferry("keys", "create", "--name", "not-root", "--json");
    assertEquals(0, created.code(), created::toString);
    JsonObject key = new JsonObject(created.out().strip());
    Result notRoot = cli(Map.of("FERRY_URL", base, "FERRY_KEY", key.getString("key", key.getString("api_key"))),
        "backup");
    assertEquals(4, notRoot.code(), notRoot::toString);
    assertTrue(notRoot.err().contains("root"), notRoot::toString);

    Result escape = ferry("backup", "../escape");
    assertEquals(2, escape.code(), escape::toString);
    assertFalse(Files.exists(data.resolve("escape")));
    assertEquals(0, ferry("backup", "twice").code());
    Result taken = ferry("backup", "twice");
    assertEquals(2, taken.code(), taken::toString);
    assertTrue(taken.err().contains("exists already"), taken::toString);
  }

  @Test
  void restoreRefusesARunningServersDataDirAndBadBackups() throws Exception {
    Path data = dir.resolve("data");
    start(data);
    assertEquals(0, ferry("backup", "good").code());
    Path good = data.resolve("backups/good").toAbsolutePath();

    // A second process, as an operator would run it: RocksDB's lock is held by this test's JVM.
    FerryProcess running = FerryProcess.startMain("restore-running", StandaloneMain.class, dir.resolve("proc"),
        List.of("restore", good.toString(), "--data-dir", data.toString()));
    assertEquals(2, running.awaitExit(Duration.ofSeconds(60)), running.output());
    assertTrue(running.output().contains("is in use by a running Ferry"), running.output());
    try (Stream<Path> entries = Files.list(data)) {
      assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().contains("before-restore")).toList());
    }

    Path elsewhere = dir.resolve("elsewhere");
    Map<String, String> offline = Map.of("FERRY_STORAGE_DATA_DIR", elsewhere.toString());
    assertEquals(3, cli(offline, "restore", dir.resolve("no-such-backup").toString()).code());
    Path empty = Files.createDirectories(dir.resolve("empty-backup"));
    Result incomplete = cli(offline, "restore", empty.toString());
    assertEquals(2, incomplete.code(), incomplete::toString);
    assertTrue(incomplete.err().contains("manifest.json"), incomplete::toString);

    Path newer = dir.resolve("newer");
    copyTree(good, newer);
    JsonObject manifest = new JsonObject(Files.readString(newer.resolve("manifest.json")));
    manifest.getJsonArray("stores").getJsonObject(1).put("format", 99);
    Files.writeString(newer.resolve("manifest.json"), manifest.encode());
    Result tooNew = cli(offline, "restore", newer.toString());
    assertEquals(2, tooNew.code(), tooNew::toString);
    assertTrue(tooNew.err().contains("newer Ferry (store format 99"), tooNew::toString);
    assertFalse(Files.exists(elsewhere.resolve("messaging")), tooNew::toString);
  }

  @Test
  void onPostgresBothPrintThePostgresToolsAndExitTwo() {
    Map<String, String> postgres = Map.of("FERRY_STORAGE_KIND", "postgres", "FERRY_STORAGE_POSTGRES_SCHEMA", "ops",
        "FERRY_URL", "http://127.0.0.1:1", "FERRY_KEY", KEY);
    Result backup = cli(postgres, "backup");
    assertEquals(2, backup.code(), backup::toString);
    assertTrue(backup.err().contains("pg_dump --format=custom --schema=ops"), backup::toString);
    Result restore = cli(postgres, "restore", dir.toString());
    assertEquals(2, restore.code(), restore::toString);
    assertTrue(restore.err().contains("pg_restore --dbname="), restore::toString);
  }

  private void start(Path data) {
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(Map.of(
        ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0",
        ConfigReader.envName("storage.data-dir"), data.toString(),
        ConfigReader.envName("auth.bootstrap-key"), KEY)));
    node = Futures.await(FerryNode.startLocal("Ferry backup test", config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        GatewayModule.create(config.gateway()))), Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + node.httpPort();
  }

  private void stop() {
    if (node != null) {
      Futures.await(node.stop(), Duration.ofSeconds(30));
      node = null;
    }
  }

  private Result ferry(String... args) {
    return cli(Map.of("FERRY_URL", base, "FERRY_KEY", KEY), args);
  }

  private static Result cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new FerryCli<Object>(new HashMap<>(env), reader -> null, config -> null)
        .run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path copy = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
  }
}

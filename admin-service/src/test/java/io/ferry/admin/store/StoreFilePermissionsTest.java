package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.runtime.PrivateFiles;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin's store holds the token secret and every listener's {@code whsec_} secret in clear: its directories are
 * 0700 and its files 0600 however permissive the directories were before and whatever the umask.
 */
class StoreFilePermissionsTest {

  private static final String TOKEN_SECRET = "token-secret-0123456789abcdef0123456789";
  private static final String WHSEC = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==";

  @TempDir
  Path tmp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theStoreHoldingSecretsIsReadableByItsOwnerOnly() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("admin"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(data.resolve("admin"), PosixFilePermissions.fromString("rwxrwxr-x"));
    StorageConfig storage = new StorageConfig(StorageConfig.Kind.ROCKSDB, data);

    AdminStore store = RocksAdminStore.open(vertx, PrivateFiles.serviceDir(storage, "admin"))
        .await(10, TimeUnit.SECONDS);
    store.settings().settingOrInit("sonya-token-secret", TOKEN_SECRET).await(10, TimeUnit.SECONDS);
    QueueInfo queue = new QueueInfo(Ids.newId(), "acct", "q", 1L, 1L, QueueSettings.DEFAULTS);
    store.queues().insertQueue(queue).await(10, TimeUnit.SECONDS);
    store.listeners().insertListener(new Listener(Ids.newId(), "acct", queue.id(), "l", "https://a.example/n", null,
        WHSEC, System.currentTimeMillis())).await(10, TimeUnit.SECONDS);
    assertEquals(Map.of(), notPrivate(data), "while open");
    store.close().await(10, TimeUnit.SECONDS);
    assertTrue(anyFileContains(data.resolve("admin"), WHSEC), "the secrets are in these files");
    assertEquals(Map.of(), notPrivate(data), "after close");

    // Reopening replays the log into new files (a table, a manifest, a log): they are restricted too.
    AdminStore reopened = RocksAdminStore.open(vertx, PrivateFiles.serviceDir(storage, "admin"))
        .await(10, TimeUnit.SECONDS);
    assertEquals(Map.of(), notPrivate(data), "after reopening");
    reopened.close().await(10, TimeUnit.SECONDS);
  }

  private static Map<String, String> notPrivate(Path root) throws IOException {
    Map<String, String> wrong = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(path -> {
        try {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
          if (!mode.equals(Files.isDirectory(path) ? "rwx------" : "rw-------")) {
            wrong.put(root.relativize(path).toString(), mode);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return wrong;
  }

  private static boolean anyFileContains(Path dir, String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).anyMatch(file -> {
        try {
          return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}

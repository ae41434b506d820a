package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With storage.secrets-key, the token secret and the whsec_ secrets are in no file of admin's store in clear. */
class SecretsAtRestTest {

  private static final String KEY = "secrets-key-0123456789abcdef-0123456789";
  private static final String TOKEN_SECRET = "token-secret-0123456789abcdef0123456789";
  private static final String WHSEC = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==";
  private static final String SETTING = "sonya-token-secret";

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void secretsAreSealedWithTheKeyAndOpenOnlyWithIt() throws Exception {
    String listenerId = writeSecrets(KEY);
    assertFalse(anyFileContains(WHSEC) || anyFileContains(TOKEN_SECRET), "a secret is stored in clear");

    AdminStore reopened = open(KEY);
    assertEquals(WHSEC, reopened.listeners().listener(listenerId).await(10, TimeUnit.SECONDS).secret());
    assertEquals(TOKEN_SECRET, reopened.settings().settingOrInit(SETTING, "other").await(10, TimeUnit.SECONDS));
    reopened.close().await(10, TimeUnit.SECONDS);

    Exception wrongKey = assertThrows(Exception.class, () -> open("another-key-0123456789abcdef-0123456789"));
    assertTrue(wrongKey.getMessage().contains("does not open the secrets"), wrongKey.getMessage());
    Exception noKey = assertThrows(Exception.class, () -> open(null));
    assertTrue(noKey.getMessage().contains("start with the same key"), noKey.getMessage());
    // A refused start leaves the store usable with the right key.
    open(KEY).close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void secretsStoredBeforeAKeyWasSetAreSealedAtTheNextStart() throws Exception {
    String listenerId = writeSecrets(null);
    assertTrue(anyFileContains(WHSEC) && anyFileContains(TOKEN_SECRET), "without a key they are in clear");

    AdminStore sealed = open(KEY);
    assertEquals(WHSEC, sealed.listeners().listener(listenerId).await(10, TimeUnit.SECONDS).secret());
    sealed.close().await(10, TimeUnit.SECONDS);

    assertFalse(anyFileContains(WHSEC) || anyFileContains(TOKEN_SECRET), "the files in clear were replaced");
    AdminStore reopened = open(KEY);
    assertEquals(WHSEC, reopened.listeners().listener(listenerId).await(10, TimeUnit.SECONDS).secret());
    assertEquals(TOKEN_SECRET, reopened.settings().settingOrInit(SETTING, "other").await(10, TimeUnit.SECONDS));
    reopened.close().await(10, TimeUnit.SECONDS);
  }

  private String writeSecrets(String key) throws Exception {
    AdminStore store = open(key);
    QueueInfo queue = new QueueInfo(Ids.newId(), "acct", "q", 1L, 1L, QueueSettings.DEFAULTS);
    store.queues().insertQueue(queue).await(10, TimeUnit.SECONDS);
    Listener listener = new Listener(Ids.newId(), "acct", queue.id(), "l", "https://a.example/n", null, WHSEC,
        System.currentTimeMillis());
    store.listeners().insertListener(listener).await(10, TimeUnit.SECONDS);
    store.settings().settingOrInit(SETTING, TOKEN_SECRET).await(10, TimeUnit.SECONDS);
    assertEquals(WHSEC, store.listeners().listener(listener.id()).await(10, TimeUnit.SECONDS).secret());
    store.close().await(10, TimeUnit.SECONDS);
    return listener.id();
  }

  private AdminStore open(String key) throws Exception {
    return RocksAdminStore.open(vertx, dir, key).await(10, TimeUnit.SECONDS);
  }

  private boolean anyFileContains(String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).anyMatch(file -> {
        try {
          return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}

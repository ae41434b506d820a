package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void apiKeysAreRandomBase64UrlWithPrefix() {
    String key = Secrets.newApiKey();
    assertTrue(key.startsWith("fry_"));
    assertEquals(32, Base64.getUrlDecoder().decode(key.substring(4)).length);
    assertNotEquals(key, Secrets.newApiKey());
  }

  @Test
  void hashesAreSha256Hex() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.hashKey("abc"));
  }

  @Test
  void listenerSecretsFollowStandardWebhooks() {
    String secret = Secrets.newListenerSecret();
    assertTrue(secret.startsWith("whsec_"));
    assertEquals(24, Base64.getDecoder().decode(secret.substring(6)).length);
  }
}

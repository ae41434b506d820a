package io.ferry.admin.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generates API keys and listener signing secrets, and hashes keys for storage. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {
  }

  /** A new API key: {@code fry_} + base64url of 32 random bytes. */
  public static String newApiKey() {
    return "fry_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  /** A new Standard Webhooks signing secret: {@code whsec_} + base64 of 24 random bytes. */
  public static String newListenerSecret() {
    return "whsec_" + Base64.getEncoder().encodeToString(randomBytes(24));
  }

  /** SHA-256 of the key, lowercase hex: what the store keeps instead of the key. */
  public static String hashKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}

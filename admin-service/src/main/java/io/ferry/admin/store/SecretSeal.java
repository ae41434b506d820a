package io.ferry.admin.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

// Seals the secrets admin keeps in clear otherwise (listeners' whsec_ secrets, the token secret) with AES-256-GCM
// under a key derived from storage.secrets-key. Each sealed value is bound to its record's key (GCM associated
// data), so a sealed secret copied into another record does not open.
final class SecretSeal {

  static final String PREFIX = "sealed:v1:";
  static final SecretSeal NONE = new SecretSeal(null);

  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretSeal(SecretKeySpec key) {
    this.key = key;
  }

  /** A seal for {@code secretsKey}, or {@link #NONE} when it is {@code null}. */
  static SecretSeal of(String secretsKey) {
    if (secretsKey == null) {
      return NONE;
    }
    try {
      // HMAC as the key derivation: any long text becomes a uniform 256-bit key, for this purpose only.
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretsKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] derived = mac.doFinal("ferry admin store secrets v1".getBytes(StandardCharsets.UTF_8));
      return new SecretSeal(new SecretKeySpec(derived, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  boolean enabled() {
    return key != null;
  }

  static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  String seal(String plain, byte[] recordKey) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(recordKey);
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
          .put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a secret: " + e.getMessage(), e);
    }
  }

  /** The secret a stored value holds: a sealed one opened, a plain one (stored without a key) as it is. */
  String open(String stored, byte[] recordKey) {
    if (!isSealed(stored)) {
      return stored;
    }
    if (key == null) {
      throw new IllegalStateException("admin's store holds secrets sealed with storage.secrets-key "
          + "(FERRY_STORAGE_SECRETS_KEY); start with the same key");
    }
    byte[] raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, IV_BYTES));
      cipher.updateAAD(recordKey);
      return new String(cipher.doFinal(raw, IV_BYTES, raw.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("storage.secrets-key (FERRY_STORAGE_SECRETS_KEY) does not open the "
          + "secrets in admin's store: it is not the key they were sealed with");
    }
  }
}

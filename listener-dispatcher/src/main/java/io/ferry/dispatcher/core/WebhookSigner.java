package io.ferry.dispatcher.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests per the Standard Webhooks spec: {@code v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">}, keyed with the base64-decoded listener secret.
 */
public final class WebhookSigner {

  static final String SECRET_PREFIX = "whsec_";
  private static final String ALGORITHM = "HmacSHA256";

  private static final byte DOT = '.';

  /** Keyed once; a Mac is reset by doFinal, so one instance serves every request of its listener. */
  private final Mac mac;

  private WebhookSigner(byte[] key) {
    try {
      this.mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * A signer for a listener's {@code whsec_} secret.
   *
   * @throws IllegalArgumentException when the secret is missing or not base64 after its prefix
   */
  public static WebhookSigner forSecret(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("listener has no signing secret");
    }
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("listener signing secret is not base64 after the whsec_ prefix");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("listener signing secret is empty");
    }
    return new WebhookSigner(key);
  }

  /** The {@code webhook-signature} header value. */
  public String sign(String webhookId, long timestampSeconds, String body) {
    return sign(webhookId, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code webhook-signature} header value for a body already encoded as UTF-8. */
  public String sign(String webhookId, long timestampSeconds, byte[] body) {
    byte[] digest;
    // A Mac is not thread-safe; a signer belongs to one listener's worker, so the lock is uncontended.
    synchronized (mac) {
      mac.update((webhookId + "." + timestampSeconds).getBytes(StandardCharsets.UTF_8));
      mac.update(DOT);
      digest = mac.doFinal(body);
    }
    return "v1," + Base64.getEncoder().encodeToString(digest);
  }
}

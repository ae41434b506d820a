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

  private final SecretKeySpec key;

  private WebhookSigner(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
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
    try {
      // Mac instances are not thread-safe and cheap to create; the key spec is what is reused.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal((webhookId + "." + timestampSeconds + "." + body)
          .getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}

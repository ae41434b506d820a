package io.ferry.admin;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A tiny JWS (compact) builder for tests, independent of the code under test. */
final class Jws {

  private Jws() {
  }

  static String hs256(JsonObject claims, byte[] secret) {
    String input = input("HS256", claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + b64(mac.doFinal(ascii(input)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String rs256(JsonObject claims, PrivateKey key) {
    return signed("RS256", "SHA256withRSA", claims, key);
  }

  /** ES256 with the signature as JWS wants it: R and S, 32 bytes each (not DER). */
  static String es256(JsonObject claims, PrivateKey key) {
    return signed("ES256", "SHA256withECDSAinP1363Format", claims, key);
  }

  /** {@code alg: none}, no signature. */
  static String unsigned(JsonObject claims) {
    return input("none", claims) + ".";
  }

  /** The base64 body of a public key's PEM block. */
  static String pemBody(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static String signed(String alg, String javaAlgorithm, JsonObject claims, PrivateKey key) {
    String input = input(alg, claims);
    try {
      Signature signature = Signature.getInstance(javaAlgorithm);
      signature.initSign(key);
      signature.update(ascii(input));
      return input + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String input(String alg, JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    return b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

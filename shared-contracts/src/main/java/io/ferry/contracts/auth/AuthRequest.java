package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What admin needs to decide who a request is, and the address of the client, for throttling repeated
 * failures. A service never sends a presented credential: {@code keyHash} is its SHA-256 (the form admin
 * stores keys in, also the throttle's key); for a JWT, verified where it arrived ({@link TokenVerifier}),
 * {@code token} holds its verified claims, or {@code refusal} says why it was refused (admin still looks the
 * hash up, since an API key may have the shape of a JWT, and counts the failure). All null but the client:
 * no credential. Admin still accepts {@code credential} (as presented) and verifies it itself, for callers
 * inside admin; no service sends it.
 */
public record AuthRequest(String credential, String clientAddress, String keyHash, TokenClaims token,
    String refusal) implements BusPayload {

  /** The prefix of every API key Ferry issues. */
  public static final String API_KEY_PREFIX = "fry_";

  public AuthRequest(String credential, String clientAddress) {
    this(credential, clientAddress, null, null, null);
  }

  public AuthRequest(String credential, String clientAddress, String keyHash) {
    this(credential, clientAddress, keyHash, null, null);
  }

  /** A credential that is not a JWT, by its hash; {@code null} when none was presented. */
  public static AuthRequest of(String credential, String clientAddress) {
    return credential == null || credential.isBlank() ? new AuthRequest(null, clientAddress)
        : new AuthRequest(null, clientAddress, keyHash(credential));
  }

  /** A JWT verified here: its hash and claims. */
  public static AuthRequest verified(String token, String clientAddress, TokenClaims claims) {
    return new AuthRequest(null, clientAddress, keyHash(token), claims, null);
  }

  /** A JWT refused here: its hash and why it was refused. */
  public static AuthRequest refused(String token, String clientAddress, String refusal) {
    return new AuthRequest(null, clientAddress, keyHash(token), null, refusal);
  }

  /** Hex SHA-256 of a key: how keys are stored and looked up. */
  public static String keyHash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("credential", credential).put("clientAddress", clientAddress).put("keyHash", keyHash)
        .put("token", token == null ? null : token.toJson()).put("refusal", refusal);
  }

  public static AuthRequest fromJson(JsonObject json) {
    return new AuthRequest(json.getString("credential"), json.getString("clientAddress"), json.getString("keyHash"),
        TokenClaims.fromJson(json.getJsonObject("token")), json.getString("refusal"));
  }
}

package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A credential as presented and the address of the client, for throttling repeated failures. An API key
 * ({@code fry_...}) crosses the bus only as {@code keyHash}, its SHA-256 (the form admin stores it in), with
 * {@code credential} null; other credentials as presented ({@code null} when the request carried none).
 */
public record AuthRequest(String credential, String clientAddress, String keyHash) implements BusPayload {

  /** The prefix of every API key Ferry issues. */
  public static final String API_KEY_PREFIX = "fry_";

  public AuthRequest(String credential, String clientAddress) {
    this(credential, clientAddress, null);
  }

  /** What the HTTP side sends for a presented credential: an API key by its hash, anything else as is. */
  public static AuthRequest of(String credential, String clientAddress) {
    if (credential != null && credential.startsWith(API_KEY_PREFIX)) {
      return new AuthRequest(null, clientAddress, keyHash(credential));
    }
    return new AuthRequest(credential, clientAddress, null);
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
    return new JsonObject().put("credential", credential).put("clientAddress", clientAddress).put("keyHash", keyHash);
  }

  public static AuthRequest fromJson(JsonObject json) {
    return new AuthRequest(json.getString("credential"), json.getString("clientAddress"), json.getString("keyHash"));
  }
}

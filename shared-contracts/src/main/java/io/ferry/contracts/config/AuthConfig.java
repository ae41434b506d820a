package io.ferry.contracts.config;

/**
 * Authentication. {@code SECURE} (default): every request needs a credential; on first start a
 * {@code default} account and a bootstrap admin key are created (the key is printed once, or taken from
 * {@code bootstrapKey}). {@code OPEN}: no credentials, everything acts as the default account.
 */
public record AuthConfig(Mode mode, String bootstrapKey) {

  /** Whether credentials are required. */
  public enum Mode { SECURE, OPEN }

  public static AuthConfig from(ConfigReader r) {
    String key = r.string("auth.bootstrap-key", null);
    if (key != null && key.length() < 24) {
      throw new ConfigException("invalid configuration: auth.bootstrap-key (FERRY_AUTH_BOOTSTRAP_KEY) "
          + "must be at least 24 characters");
    }
    return new AuthConfig(r.enumValue("auth.mode", Mode.class, Mode.SECURE), key);
  }
}

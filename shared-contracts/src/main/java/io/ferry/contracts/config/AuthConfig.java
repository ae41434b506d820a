package io.ferry.contracts.config;

/**
 * Authentication. {@code SECURE} (default): every request needs a credential; on first start a
 * {@code default} account and a bootstrap admin key are created (the key is printed once, or taken from
 * {@code bootstrapKey}). {@code OPEN}: no credentials, everything acts as the default account.
 *
 * @param sonyaServiceToken Sonya's service token, accepted on the Sonya routes as the default account
 *     ({@code null}: none; API keys still work)
 * @param tokenSecret HS256 secret for the tokens Ferry issues (Sonya generate_jwt); {@code null}: admin
 *     generates one at first start and keeps it in its store. Set it when several admin instances run.
 * @param sonyaTokenTtlSeconds lifetime of a generate_jwt token
 * @param jwt verification of bearer JWTs from the user's identity provider
 */
public record AuthConfig(Mode mode, String bootstrapKey, String sonyaServiceToken, String tokenSecret,
    int sonyaTokenTtlSeconds, JwtConfig jwt) {

  /** Without JWT verification. */
  public AuthConfig(Mode mode, String bootstrapKey, String sonyaServiceToken, String tokenSecret,
      int sonyaTokenTtlSeconds) {
    this(mode, bootstrapKey, sonyaServiceToken, tokenSecret, sonyaTokenTtlSeconds, JwtConfig.none());
  }

  /** Whether credentials are required. */
  public enum Mode { SECURE, OPEN }

  public static AuthConfig from(ConfigReader r) {
    String key = r.string("auth.bootstrap-key", null);
    if (key != null && key.length() < 24) {
      throw new ConfigException("invalid configuration: auth.bootstrap-key (FERRY_AUTH_BOOTSTRAP_KEY) "
          + "must be at least 24 characters");
    }
    TokenConfig tokens = TokenConfig.from(r);
    return new AuthConfig(r.enumValue("auth.mode", Mode.class, Mode.SECURE), key,
        tokens.sonyaServiceToken(), tokens.tokenSecret(),
        r.integer("auth.sonya-token-ttl-seconds", 60, 1, 86_400), tokens.jwt());
  }
}

package io.ferry.contracts.config;

/**
 * What every service needs to verify bearer JWTs where they arrive, so that no token crosses the bus: the
 * identity provider's keys ({@code auth.jwt.*}) and the secret of the tokens admin's generate_jwt issues.
 *
 * @param jwt verification of JWTs from the user's identity provider
 * @param tokenSecret {@code auth.token-secret}; {@code null}: admin generated one and keeps it in its store,
 *     and services ask admin for it over the event bus once
 * @param sonyaServiceToken {@code auth.sonya-service-token}: Sonya-format tokens signed with it are verified
 *     too (only when it is long enough to sign, see {@link io.ferry.contracts.auth.SonyaTokenVerifier})
 */
public record TokenConfig(JwtConfig jwt, String tokenSecret, String sonyaServiceToken) {

  /** Without Sonya-format tokens. */
  public TokenConfig(JwtConfig jwt, String tokenSecret) {
    this(jwt, tokenSecret, null);
  }

  /** No identity-provider keys; the generate_jwt secret comes from admin. */
  public static TokenConfig none() {
    return new TokenConfig(JwtConfig.none(), null);
  }

  public static TokenConfig from(ConfigReader r) {
    String secret = r.string("auth.token-secret", null);
    if (secret != null && secret.length() < 32) {
      throw new ConfigException("invalid configuration: auth.token-secret (FERRY_AUTH_TOKEN_SECRET) "
          + "must be at least 32 characters");
    }
    return new TokenConfig(JwtConfig.from(r), secret, r.string("auth.sonya-service-token", null));
  }
}

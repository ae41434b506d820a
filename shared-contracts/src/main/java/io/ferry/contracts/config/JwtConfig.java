package io.ferry.contracts.config;

import java.util.List;

/**
 * Verification of JWT bearer tokens issued by the user's own identity provider (docs/auth.md). Tokens
 * carry {@code sub}, {@code account} (an account id), {@code scope} (space-separated {@code Scope} strings)
 * and {@code exp}; {@code nbf} and {@code aud} are checked when present and required respectively.
 * With neither a secret nor public keys configured, JWTs are not accepted at all (API keys still are).
 *
 * @param hs256Secret shared HS256 secret ({@code auth.jwt.hs256-secret}), at least 32 characters, or null
 * @param publicKeyPems PEM-encoded RSA or EC public keys ({@code auth.jwt.public-keys-file}: a file holding
 *     one or more {@code -----BEGIN PUBLIC KEY-----} blocks); RS256 for RSA keys, ES256 for P-256 keys
 * @param audience the required {@code aud} ({@code auth.jwt.audience}, default {@code ferry})
 * @param issuer the required {@code iss}, or null for any ({@code auth.jwt.issuer})
 * @param leewaySeconds clock skew allowed on {@code exp}/{@code nbf} ({@code auth.jwt.leeway-seconds})
 */
public record JwtConfig(String hs256Secret, List<String> publicKeyPems, String audience, String issuer,
    int leewaySeconds) {

  public JwtConfig {
    publicKeyPems = List.copyOf(publicKeyPems);
  }

  /** No JWT verification configured. */
  public static JwtConfig none() {
    return new JwtConfig(null, List.of(), "ferry", null, 5);
  }

  public boolean enabled() {
    return hs256Secret != null || !publicKeyPems.isEmpty();
  }

  public static JwtConfig from(ConfigReader r) {
    String secret = r.string("auth.jwt.hs256-secret", null);
    if (secret != null && secret.length() < 32) {
      throw new ConfigException("invalid configuration: auth.jwt.hs256-secret (FERRY_AUTH_JWT_HS256_SECRET) "
          + "must be at least 32 characters");
    }
    String file = r.string("auth.jwt.public-keys-file", null);
    List<String> pems = file == null ? List.of() : PemFiles.publicKeys(file, "auth.jwt.public-keys-file");
    return new JwtConfig(secret, pems, r.string("auth.jwt.audience", "ferry"),
        r.string("auth.jwt.issuer", null), r.integer("auth.jwt.leeway-seconds", 5, 0, 300));
  }
}

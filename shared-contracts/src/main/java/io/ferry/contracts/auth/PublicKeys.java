package io.ferry.contracts.auth;

import io.ferry.contracts.config.ConfigException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

// Which JWS algorithm a configured public key is for, found by parsing it (never by trusting a token).
final class PublicKeys {

  private static final String KEY = "invalid configuration: auth.jwt.public-keys-file (FERRY_AUTH_JWT_PUBLIC_KEYS_FILE) ";
  private static final int MIN_RSA_BITS = 2048;

  private PublicKeys() {
  }

  /** RS256 for an RSA key of at least 2048 bits, ES256 for a P-256 key; anything else fails start-up. */
  static String algorithmOf(String base64Body) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(base64Body);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(KEY + "holds a key that is not valid base64");
    }
    PublicKey rsa = parse("RSA", der);
    if (rsa instanceof RSAPublicKey key) {
      if (key.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new ConfigException(KEY + "holds an RSA key shorter than " + MIN_RSA_BITS + " bits");
      }
      return "RS256";
    }
    if (parse("EC", der) instanceof ECPublicKey key) {
      if (!p256Order().equals(key.getParams().getOrder())) {
        throw new ConfigException(KEY + "holds an EC key that is not on P-256 (only ES256 is supported)");
      }
      return "ES256";
    }
    throw new ConfigException(KEY + "holds a key that is neither RSA nor EC");
  }

  static String pem(String base64Body) {
    StringBuilder pem = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
    for (int i = 0; i < base64Body.length(); i += 64) {
      pem.append(base64Body, i, Math.min(base64Body.length(), i + 64)).append('\n');
    }
    return pem.append("-----END PUBLIC KEY-----\n").toString();
  }

  private static PublicKey parse(String algorithm, byte[] der) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException notThisKind) {
      return null;
    }
  }

  private static BigInteger p256Order() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is required by every Java runtime", e);
    }
  }
}

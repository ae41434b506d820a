package io.ferry.admin.core;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/**
 * RSA key pairs for tests, generated once per test JVM: a 2048-bit pair costs up to a second of CPU, and no
 * test needs a fresh one, only distinct ones.
 */
public final class TestKeys {

  private static final KeyPair[] RSA = new KeyPair[2];

  private TestKeys() {
  }

  /** The first 2048-bit RSA pair. */
  public static KeyPair rsa() {
    return rsa(0);
  }

  /** A 2048-bit RSA pair other than {@link #rsa()}. */
  public static KeyPair otherRsa() {
    return rsa(1);
  }

  private static synchronized KeyPair rsa(int index) {
    if (RSA[index] == null) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSA[index] = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }
    return RSA[index];
  }
}

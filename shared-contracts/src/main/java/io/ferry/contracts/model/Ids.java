package io.ferry.contracts.model;

import java.util.UUID;

/** Server-generated ids: 32 lowercase hex characters, random, never reused. */
public final class Ids {

  private Ids() {
  }

  public static String newId() {
    UUID uuid = UUID.randomUUID();
    return hex(uuid.getMostSignificantBits()) + hex(uuid.getLeastSignificantBits());
  }

  public static boolean isValid(String id) {
    if (id == null || id.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static String hex(long bits) {
    String digits = Long.toHexString(bits);
    return "0".repeat(16 - digits.length()) + digits;
  }
}

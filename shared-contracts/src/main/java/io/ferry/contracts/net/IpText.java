package io.ferry.contracts.net;

// The strict textual forms shared by CIDRs and URL hosts: dotted quad and RFC 4291 IPv6.
final class IpText {

  private IpText() {
  }

  // Four decimal parts of 0-255 without leading zeros: anything looser is ambiguous (octal or decimal?).
  static byte[] dottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] raw = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (!isDigits(part, 3) || part.length() > 1 && part.charAt(0) == '0' || Integer.parseInt(part) > 255) {
        return null;
      }
      raw[i] = (byte) Integer.parseInt(part);
    }
    return raw;
  }

  // RFC 4291 text form, with :: and a trailing dotted quad. A %zone is accepted only if zoned: a URL host
  // may carry one, a configured range may not.
  static byte[] ipv6(String input, boolean zoned) {
    String text = input;
    int percent = text.indexOf('%');
    if (percent >= 0) {
      if (!zoned || percent == text.length() - 1) {
        return null;
      }
      text = text.substring(0, percent);
    }
    byte[] ipv4 = null;
    int lastColon = text.lastIndexOf(':');
    if (lastColon >= 0 && text.indexOf('.', lastColon) >= 0) {
      ipv4 = dottedQuad(text.substring(lastColon + 1));
      if (ipv4 == null) {
        return null;
      }
      // Stand in two hex groups for the dotted quad so group counting stays uniform; overwritten below.
      text = text.substring(0, lastColon + 1) + "0:0";
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = hexGroups(gap >= 0 ? text.substring(0, gap) : text);
    int[] tail = gap >= 0 ? hexGroups(text.substring(gap + 2)) : new int[0];
    if (head == null || tail == null || (gap < 0 ? head.length != 8 : head.length + tail.length > 7)) {
      return null;
    }
    byte[] raw = new byte[16];
    for (int i = 0; i < head.length; i++) {
      raw[2 * i] = (byte) (head[i] >> 8);
      raw[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tail.length; i++) {
      int at = 16 - 2 * (tail.length - i);
      raw[at] = (byte) (tail[i] >> 8);
      raw[at + 1] = (byte) tail[i];
    }
    if (ipv4 != null) {
      System.arraycopy(ipv4, 0, raw, 12, 4);
    }
    return raw;
  }

  static boolean isDigits(String text, int maxLength) {
    if (text.isEmpty() || text.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static int[] hexGroups(String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    int[] groups = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      for (int c = 0; c < part.length(); c++) {
        // Character.digit also accepts non-ASCII digits, which are not IPv6 text.
        if (Character.digit(part.charAt(c), 16) < 0 || part.charAt(c) > 'f') {
          return null;
        }
      }
      groups[i] = Integer.parseInt(part, 16);
    }
    return groups;
  }
}

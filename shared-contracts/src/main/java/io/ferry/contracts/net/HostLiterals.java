package io.ferry.contracts.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

// Reads a URL host the way HTTP clients and resolvers do, so that no spelling of an address slips past the
// check: IPv4 in every inet_aton form, IPv6 bracketed or bare and possibly zoned.
final class HostLiterals {

  private HostLiterals() {
  }

  // The address the host names literally, or null when it is a name to resolve.
  static InetAddress address(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    byte[] raw;
    if (host.startsWith("[") && host.endsWith("]")) {
      raw = IpText.ipv6(host.substring(1, host.length() - 1), true);
    } else if (host.indexOf(':') >= 0) {
      raw = IpText.ipv6(host, true);
    } else {
      raw = inetAton(host);
    }
    return raw == null ? null : toAddress(raw);
  }

  // IPv4 as inet_aton reads it: one to four parts, each decimal, 0x hex or 0-prefixed octal, the last
  // filling the remaining bytes; one trailing dot allowed, as URL hosts may have it.
  private static byte[] inetAton(String host) {
    String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (text.isEmpty()) {
      return null;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      long part = atonPart(parts[i]);
      boolean last = i == parts.length - 1;
      long max = last ? (1L << (8 * (5 - parts.length))) - 1 : 255;
      if (part < 0 || part > max) {
        return null;
      }
      value = last ? value | part : value | part << (8 * (3 - i));
    }
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  // The part's value, or -1 when it is not a number.
  private static long atonPart(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() >= 2 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      // Character.digit also accepts non-ASCII digits (e.g. fullwidth), which no resolver would.
      int digit = Character.digit(digits.charAt(i), radix);
      if (digit < 0 || digits.charAt(i) > 'z') {
        return -1;
      }
      value = value * radix + digit;
      // Stop early so that a long run of digits cannot overflow into a small, innocent-looking value.
      if (value > 0xffff_ffffL) {
        return -1;
      }
    }
    return value;
  }

  private static InetAddress toAddress(byte[] raw) {
    try {
      // Inet6Address keeps IPv4-mapped addresses in their IPv6 form, so a refusal names what was written.
      return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}

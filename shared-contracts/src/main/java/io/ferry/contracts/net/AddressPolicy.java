package io.ferry.contracts.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * SSRF rule for webhook and liveness URLs (PRODUCT.md §Webhooks): which resolved addresses Ferry may connect
 * to. Refused unless inside an allow-list range: loopback, private (RFC 1918, ULA), link-local (including
 * the 169.254.169.254 metadata address), multicast, unspecified, CGNAT, and IPv4 mapped or embedded in IPv6
 * forms of these. Also parses the odd IPv4 encodings HTTP clients and resolvers accept (decimal
 * {@code 2130706433}, hex {@code 0x7f000001}, octal {@code 0177.0.0.1}, short {@code 127.1}) so that a URL
 * cannot hide a blocked address from the check.
 */
public final class AddressPolicy {

  /** Checked in order: the specific metadata addresses before the ranges that contain them. */
  private static final List<Range> BLOCKED = List.of(
      new Range("0.0.0.0/8", "an unspecified address"),
      new Range("10.0.0.0/8", "a private address"),
      new Range("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
      new Range("127.0.0.0/8", "a loopback address"),
      new Range("169.254.169.254/32", "the cloud metadata address"),
      new Range("169.254.0.0/16", "a link-local address"),
      new Range("172.16.0.0/12", "a private address"),
      new Range("192.0.0.0/24", "a reserved (IETF protocol assignment) address"),
      new Range("192.168.0.0/16", "a private address"),
      new Range("224.0.0.0/4", "a multicast address"),
      new Range("255.255.255.255/32", "the broadcast address"),
      new Range("240.0.0.0/4", "a reserved address"),
      new Range("::/128", "an unspecified address"),
      new Range("::1/128", "a loopback address"),
      new Range("fd00:ec2::254/128", "the cloud metadata address"),
      new Range("fc00::/7", "a private (unique local) address"),
      new Range("fe80::/10", "a link-local address"),
      new Range("fec0::/10", "a site-local address"),
      new Range("ff00::/8", "a multicast address"),
      // A local-use NAT64 prefix translates to IPv4 addresses of the operator's choosing, internal ones included.
      new Range("64:ff9b:1::/48", "a local-use NAT64 address"));

  private final List<Cidr> allowList;

  private AddressPolicy(List<Cidr> allowList) {
    this.allowList = List.copyOf(allowList);
  }

  /** A policy opening the given CIDR ranges (e.g. {@code 127.0.0.0/8}); fails on an invalid entry. */
  public static AddressPolicy create(List<String> allowCidrs) {
    List<Cidr> ranges = new ArrayList<>(allowCidrs.size());
    for (String text : allowCidrs) {
      Cidr cidr = Cidr.parse(text);
      if (cidr == null) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR like 10.0.0.0/8 or ::1/128");
      }
      ranges.add(cidr);
    }
    return new AddressPolicy(ranges);
  }

  /** Whether {@code text} is a valid IPv4 or IPv6 CIDR range. */
  public static boolean isCidr(String text) {
    return Cidr.parse(text) != null;
  }

  /**
   * The address a URL host names literally, in any encoding above (IPv6 with or without brackets), or
   * {@code null} when the host is a name that needs resolving.
   */
  public static InetAddress literal(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    byte[] raw;
    if (host.startsWith("[") && host.endsWith("]")) {
      raw = parseIpv6(host.substring(1, host.length() - 1), true);
    } else if (host.indexOf(':') >= 0) {
      raw = parseIpv6(host, true);
    } else {
      raw = parseInetAton(host);
    }
    return raw == null ? null : toAddress(raw);
  }

  /** Why connecting to {@code address} is refused (e.g. "127.0.0.1 is a loopback address"), or {@code null}. */
  public String refusal(InetAddress address) {
    byte[] raw = address.getAddress();
    Embedded embedded = Embedded.of(raw);
    if (allowed(raw) || embedded != null && allowed(embedded.ipv4())) {
      return null;
    }
    String kind = blockedKind(raw);
    if (kind != null) {
      return format(raw) + " is " + kind;
    }
    if (embedded != null) {
      String embeddedKind = blockedKind(embedded.ipv4());
      if (embeddedKind != null) {
        return format(raw) + " is " + embedded.form() + " form of " + format(embedded.ipv4()) + ", "
            + embeddedKind;
      }
    }
    return null;
  }

  private boolean allowed(byte[] raw) {
    for (Cidr cidr : allowList) {
      if (cidr.contains(raw)) {
        return true;
      }
    }
    return false;
  }

  private static String blockedKind(byte[] raw) {
    for (Range range : BLOCKED) {
      if (range.cidr().contains(raw)) {
        return range.kind();
      }
    }
    return null;
  }

  private record Range(Cidr cidr, String kind) {
    Range(String cidr, String kind) {
      this(Cidr.parse(cidr), kind);
    }
  }

  private record Cidr(byte[] network, int prefixBits) {

    static Cidr parse(String text) {
      if (text == null) {
        return null;
      }
      int slash = text.indexOf('/');
      if (slash < 0 || !isDigits(text.substring(slash + 1), 3)) {
        return null;
      }
      String address = text.substring(0, slash);
      byte[] network = address.indexOf(':') >= 0 ? parseIpv6(address, false) : parseDottedQuad(address);
      int prefix = Integer.parseInt(text.substring(slash + 1));
      if (network == null || prefix > network.length * 8) {
        return null;
      }
      return new Cidr(network, prefix);
    }

    boolean contains(byte[] raw) {
      if (raw.length != network.length) {
        return false;
      }
      int fullBytes = prefixBits / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (raw[i] != network[i]) {
          return false;
        }
      }
      int restBits = prefixBits % 8;
      if (restBits == 0) {
        return true;
      }
      int mask = (0xff << (8 - restBits)) & 0xff;
      return (raw[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }

  /** An IPv4 address carried inside an IPv6 one, which a connection may end up reaching. */
  private record Embedded(String form, byte[] ipv4) {

    static Embedded of(byte[] raw) {
      if (raw.length != 16) {
        return null;
      }
      if (zero(raw, 0, 10) && (raw[10] & 0xff) == 0xff && (raw[11] & 0xff) == 0xff) {
        return new Embedded("an IPv4-mapped", slice(raw, 12));
      }
      if (zero(raw, 0, 8) && (raw[8] & 0xff) == 0xff && (raw[9] & 0xff) == 0xff && zero(raw, 10, 12)) {
        return new Embedded("an IPv4-translated", slice(raw, 12));
      }
      if (zero(raw, 0, 12)) {
        return new Embedded("an IPv4-compatible", slice(raw, 12));
      }
      if (raw[0] == 0 && raw[1] == 0x64 && (raw[2] & 0xff) == 0xff && (raw[3] & 0xff) == 0x9b
          && zero(raw, 4, 12)) {
        return new Embedded("a NAT64", slice(raw, 12));
      }
      if (raw[0] == 0x20 && raw[1] == 0x02) {
        return new Embedded("a 6to4", slice(raw, 2));
      }
      if (raw[0] == 0x20 && raw[1] == 0x01 && raw[2] == 0 && raw[3] == 0) {
        byte[] client = slice(raw, 12);
        for (int i = 0; i < 4; i++) {
          client[i] = (byte) ~client[i];
        }
        return new Embedded("a Teredo", client);
      }
      return null;
    }

    private static boolean zero(byte[] raw, int from, int to) {
      for (int i = from; i < to; i++) {
        if (raw[i] != 0) {
          return false;
        }
      }
      return true;
    }

    private static byte[] slice(byte[] raw, int from) {
      byte[] ipv4 = new byte[4];
      System.arraycopy(raw, from, ipv4, 0, 4);
      return ipv4;
    }
  }

  /**
   * IPv4 as {@code inet_aton} reads it: one to four parts, each decimal, {@code 0x} hex or {@code 0}-prefixed
   * octal, the last filling the remaining bytes; one trailing dot allowed, as URL hosts may have it.
   */
  private static byte[] parseInetAton(String host) {
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
      long part = parseAtonPart(parts[i]);
      boolean last = i == parts.length - 1;
      long max = last ? (1L << (8 * (5 - parts.length))) - 1 : 255;
      if (part < 0 || part > max) {
        return null;
      }
      value = last ? value | part : value | part << (8 * (3 - i));
    }
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  /** The part's value, or −1 when it is not a number. */
  private static long parseAtonPart(String part) {
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
      int digit = Character.digit(digits.charAt(i), radix);
      if (digit < 0 || digits.charAt(i) > 'z') {
        return -1;
      }
      value = value * radix + digit;
      if (value > 0xffff_ffffL) {
        return -1;
      }
    }
    return value;
  }

  /** Strict {@code a.b.c.d}: four decimal parts of 0–255 without leading zeros (as in CIDRs and IPv6). */
  private static byte[] parseDottedQuad(String text) {
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

  /** RFC 4291 text form, with {@code ::} and a trailing dotted quad; a {@code %zone} only if {@code zoned}. */
  private static byte[] parseIpv6(String input, boolean zoned) {
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
      ipv4 = parseDottedQuad(text.substring(lastColon + 1));
      if (ipv4 == null) {
        return null;
      }
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
        if (Character.digit(part.charAt(c), 16) < 0 || part.charAt(c) > 'f') {
          return null;
        }
      }
      groups[i] = Integer.parseInt(part, 16);
    }
    return groups;
  }

  private static boolean isDigits(String text, int maxLength) {
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

  private static InetAddress toAddress(byte[] raw) {
    try {
      // Inet6Address keeps IPv4-mapped addresses in their IPv6 form, so a refusal names what was written.
      return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Dotted quad, or RFC 5952 IPv6 (longest zero run as {@code ::}, IPv4-mapped tail dotted). */
  private static String format(byte[] raw) {
    if (raw.length == 4) {
      return (raw[0] & 0xff) + "." + (raw[1] & 0xff) + "." + (raw[2] & 0xff) + "." + (raw[3] & 0xff);
    }
    Embedded embedded = Embedded.of(raw);
    boolean dottedTail = embedded != null && embedded.form().equals("an IPv4-mapped");
    int groupCount = dottedTail ? 6 : 8;
    int[] groups = new int[groupCount];
    for (int i = 0; i < groupCount; i++) {
      groups[i] = (raw[2 * i] & 0xff) << 8 | raw[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groupCount; i++) {
      int length = 0;
      while (i + length < groupCount && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < groupCount; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    if (dottedTail) {
      if (text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(format(embedded.ipv4()));
    }
    return text.toString();
  }
}

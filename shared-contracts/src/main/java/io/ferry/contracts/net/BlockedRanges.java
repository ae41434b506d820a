package io.ferry.contracts.net;

import java.util.List;

// The ranges refused unless allow-listed, each with the words a refusal message uses for it: the IANA
// special-purpose ranges that are not globally reachable (RFC 6890 and its updates). IPv6 forms that embed IPv4
// (mapped, NAT64, 6to4, Teredo) are judged by their IPv4 address instead (EmbeddedIpv4).
final class BlockedRanges {

  private record Range(Cidr cidr, String kind) {
    Range(String cidr, String kind) {
      this(Cidr.parse(cidr), kind);
    }
  }

  // Checked in order: the specific metadata addresses before the ranges that contain them.
  private static final List<Range> BLOCKED = List.of(
      new Range("0.0.0.0/8", "an unspecified address"),
      new Range("10.0.0.0/8", "a private address"),
      new Range("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
      new Range("127.0.0.0/8", "a loopback address"),
      new Range("169.254.169.254/32", "the cloud metadata address"),
      new Range("169.254.0.0/16", "a link-local address"),
      new Range("172.16.0.0/12", "a private address"),
      new Range("192.0.0.0/24", "a reserved (IETF protocol assignment) address"),
      new Range("192.0.2.0/24", "a documentation (TEST-NET-1) address"),
      new Range("192.88.99.0/24", "a reserved (former 6to4 relay anycast) address"),
      new Range("192.168.0.0/16", "a private address"),
      new Range("198.18.0.0/15", "a benchmarking address"),
      new Range("198.51.100.0/24", "a documentation (TEST-NET-2) address"),
      new Range("203.0.113.0/24", "a documentation (TEST-NET-3) address"),
      new Range("224.0.0.0/4", "a multicast address"),
      new Range("255.255.255.255/32", "the broadcast address"),
      new Range("240.0.0.0/4", "a reserved address"),
      new Range("::/128", "an unspecified address"),
      new Range("::1/128", "a loopback address"),
      new Range("100::/64", "a discard-only address"),
      new Range("2001:2::/48", "a benchmarking address"),
      new Range("2001:db8::/32", "a documentation address"),
      new Range("3fff::/20", "a documentation address"),
      new Range("5f00::/16", "a reserved (segment routing) address"),
      new Range("fd00:ec2::254/128", "the cloud metadata address"),
      new Range("fc00::/7", "a private (unique local) address"),
      new Range("fe80::/10", "a link-local address"),
      new Range("fec0::/10", "a site-local address"),
      new Range("ff00::/8", "a multicast address"),
      // A local-use NAT64 prefix translates to IPv4 addresses of the operator's choosing, internal ones included.
      new Range("64:ff9b:1::/48", "a local-use NAT64 address"));

  private BlockedRanges() {
  }

  // The refusal wording for the first range holding raw, or null when none does.
  static String kindOf(byte[] raw) {
    for (Range range : BLOCKED) {
      if (range.cidr().contains(raw)) {
        return range.kind();
      }
    }
    return null;
  }
}

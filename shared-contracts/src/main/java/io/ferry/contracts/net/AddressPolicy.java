package io.ferry.contracts.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * SSRF rule for webhook and liveness URLs (docs/webhooks.md): which resolved addresses Ferry may connect
 * to. Refused unless inside an allow-list range: loopback, private (RFC 1918, ULA), link-local (including
 * the 169.254.169.254 metadata address), multicast, unspecified, CGNAT, benchmarking, documentation and the other
 * IANA special-purpose ranges that are not globally reachable, and IPv4 mapped or embedded in IPv6
 * forms of these. Also parses the odd IPv4 encodings HTTP clients and resolvers accept (decimal
 * {@code 2130706433}, hex {@code 0x7f000001}, octal {@code 0177.0.0.1}, short {@code 127.1}) so that a URL
 * cannot hide a blocked address from the check.
 */
public final class AddressPolicy {

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
    return HostLiterals.address(host);
  }

  /** Why connecting to {@code address} is refused (e.g. "127.0.0.1 is a loopback address"), or {@code null}. */
  public String refusal(InetAddress address) {
    byte[] raw = address.getAddress();
    EmbeddedIpv4 embedded = EmbeddedIpv4.of(raw);
    // An allow-list entry for an IPv4 range also opens its IPv6 disguises: they reach the same host.
    if (allowed(raw) || embedded != null && allowed(embedded.ipv4())) {
      return null;
    }
    String kind = BlockedRanges.kindOf(raw);
    if (kind != null) {
      return CanonicalText.of(raw) + " is " + kind;
    }
    if (embedded != null) {
      String embeddedKind = BlockedRanges.kindOf(embedded.ipv4());
      if (embeddedKind != null) {
        return CanonicalText.of(raw) + " is " + embedded.form() + " form of " + CanonicalText.of(embedded.ipv4())
            + ", " + embeddedKind;
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
}

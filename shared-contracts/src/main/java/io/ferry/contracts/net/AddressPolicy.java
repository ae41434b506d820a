package io.ferry.contracts.net;

import java.net.InetAddress;
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

  // Implemented by the listener-dispatcher work (issue 5); the API below is the contract.
  private final List<String> allowList;

  private AddressPolicy(List<String> allowList) {
    this.allowList = List.copyOf(allowList);
  }

  /** A policy opening the given CIDR ranges (e.g. {@code 127.0.0.0/8}); fails on an invalid entry. */
  public static AddressPolicy create(List<String> allowCidrs) {
    return new AddressPolicy(allowCidrs);
  }

  /** Whether {@code text} is a valid IPv4 or IPv6 CIDR range. */
  public static boolean isCidr(String text) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * The address a URL host names literally, in any encoding above (IPv6 with or without brackets), or
   * {@code null} when the host is a name that needs resolving.
   */
  public static InetAddress literal(String host) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Why connecting to {@code address} is refused (e.g. "127.0.0.1 is a loopback address"), or {@code null}. */
  public String refusal(InetAddress address) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}

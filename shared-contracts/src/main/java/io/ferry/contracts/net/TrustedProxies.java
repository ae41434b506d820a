package io.ferry.contracts.net;

import io.ferry.contracts.config.ConfigException;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which peers may tell who the client is ({@code auth.trusted-proxies}): only a request whose TCP peer is
 * inside one of these ranges has its {@code Forwarded} / {@code X-Forwarded-For} header honoured, and then
 * the client is the nearest address in that chain that is not itself a trusted proxy. Without ranges the
 * headers are ignored: anyone can write them.
 */
public final class TrustedProxies implements Shareable {

  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Cidr> ranges;

  private TrustedProxies(List<Cidr> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  public static TrustedProxies none() {
    return NONE;
  }

  /** Parses CIDRs such as {@code 10.0.0.0/8}; fails naming {@code key} on one that is not. */
  public static TrustedProxies parse(List<String> cidrs, String key) {
    List<Cidr> ranges = new ArrayList<>();
    for (String text : cidrs) {
      Cidr cidr = Cidr.parse(text.trim());
      if (cidr == null) {
        throw new ConfigException("invalid configuration: " + key + " must be a comma-separated list of CIDRs "
            + "such as 10.0.0.0/8, got '" + text + "'");
      }
      ranges.add(cidr);
    }
    return ranges.isEmpty() ? NONE : new TrustedProxies(ranges);
  }

  /**
   * The client's address: {@code peer} itself unless it is a trusted proxy; then the rightmost address of
   * the forwarding chain that is not a trusted proxy ({@code Forwarded} first, else {@code X-Forwarded-For}),
   * or {@code peer} when the chain names nothing usable.
   */
  public String clientAddress(String peer, String forwarded, String xForwardedFor) {
    if (peer == null || !trusted(peer)) {
      return peer;
    }
    List<String> chain = forwarded != null ? forwardedFor(forwarded) : xForwardedFor != null
        ? List.of(xForwardedFor.split(",")) : List.of();
    String client = peer;
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = bare(chain.get(i));
      if (address(hop) == null) {
        // An unparseable hop (obfuscated, "unknown"): the chain cannot be followed past it.
        return client;
      }
      client = hop;
      if (!trusted(hop)) {
        return hop;
      }
    }
    return client;
  }

  private boolean trusted(String address) {
    byte[] raw = address(address);
    if (raw == null) {
      return false;
    }
    for (Cidr range : ranges) {
      if (range.contains(raw)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] address(String text) {
    if (text.isEmpty()) {
      return null;
    }
    return text.indexOf(':') >= 0 ? IpText.ipv6(text, false) : IpText.dottedQuad(text);
  }

  private static List<String> forwardedFor(String header) {
    List<String> hops = new ArrayList<>();
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        String[] parts = pair.trim().split("=", 2);
        if (parts.length == 2 && parts[0].trim().equalsIgnoreCase("for")) {
          hops.add(parts[1].trim());
        }
      }
    }
    return hops;
  }

  // "[2001:db8::1]:4711", "\"192.0.2.1:80\"", " 192.0.2.1 " -> the address alone.
  private static String bare(String hop) {
    String text = hop.trim();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      return end < 0 ? "" : text.substring(1, end);
    }
    int colon = text.indexOf(':');
    if (colon >= 0 && colon == text.lastIndexOf(':')) {
      return text.substring(0, colon);
    }
    return text;
  }
}

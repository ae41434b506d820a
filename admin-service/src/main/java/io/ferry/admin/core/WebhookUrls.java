package io.ferry.admin.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The syntax rule for listener URLs: absolute {@code http} or {@code https} URLs with a host. Where the URL may
 * point to is {@link WebhookTargets}' concern.
 */
public final class WebhookUrls {

  public static final int MAX_LENGTH = 2048;

  private WebhookUrls() {
  }

  /** Returns {@code url} when acceptable, else fails UNPROCESSABLE saying why. */
  public static String require(String field, String url) {
    host(field, url);
    return url;
  }

  /**
   * The host {@code url} names (an IPv6 literal keeps its brackets), checking the URL as {@link #require} does.
   * java.net.URI leaves the host out when it is not a valid DNS name (e.g. {@code 127.1}, {@code a_b.example});
   * HTTP clients still connect to such hosts, so the host is then taken from the authority itself.
   */
  public static String host(String field, String url) {
    if (url.length() > MAX_LENGTH) {
      throw unprocessable(field, "must be at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw unprocessable(field, "is not a valid URL (" + e.getReason() + ")");
    }
    if (!uri.isAbsolute()) {
      throw unprocessable(field, "must be an absolute URL such as https://example.com/webhook");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw unprocessable(field, "must use http or https, not " + uri.getScheme());
    }
    String host = uri.getHost() != null ? uri.getHost() : hostOfAuthority(uri.getRawAuthority());
    if (host == null || host.isEmpty()) {
      throw unprocessable(field, "must name a host");
    }
    return host;
  }

  private static String hostOfAuthority(String authority) {
    if (authority == null) {
      return null;
    }
    String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
    if (hostAndPort.startsWith("[")) {
      int end = hostAndPort.indexOf(']');
      return end < 0 ? null : hostAndPort.substring(0, end + 1);
    }
    int colon = hostAndPort.indexOf(':');
    return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
  }

  static FerryException unprocessable(String field, String why) {
    return new FerryException(ErrorCode.UNPROCESSABLE, field + ": " + why, field);
  }
}

package io.ferry.admin.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The rule for listener URLs: absolute {@code http} or {@code https} URLs with a host. */
public final class WebhookUrls {

  public static final int MAX_LENGTH = 2048;

  private WebhookUrls() {
  }

  /** Returns {@code url} when acceptable, else fails UNPROCESSABLE saying why. */
  public static String require(String field, String url) {
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
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw unprocessable(field, "must name a host");
    }
    return url;
  }

  private static FerryException unprocessable(String field, String why) {
    return new FerryException(ErrorCode.UNPROCESSABLE, field + ": " + why, field);
  }
}

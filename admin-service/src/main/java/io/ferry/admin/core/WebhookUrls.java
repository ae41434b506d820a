package io.ferry.admin.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.net.WebhookUrl;

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
   * The URL is read by the parser the dispatcher connects with, so both judge the same host and port.
   */
  public static String host(String field, String url) {
    if (url.length() > MAX_LENGTH) {
      throw unprocessable(field, "must be at most " + MAX_LENGTH + " characters");
    }
    try {
      return WebhookUrl.parse(url).host();
    } catch (WebhookUrl.Invalid invalid) {
      throw unprocessable(field, invalid.getMessage());
    }
  }

  static FerryException unprocessable(String field, String why) {
    return new FerryException(ErrorCode.UNPROCESSABLE, field + ": " + why, field);
  }
}

package io.ferry.dispatcher.core;

/**
 * What one webhook attempt (or liveness check) came to. {@code statusCode} is the receiver's HTTP status, or
 * {@code 0} when no response arrived (connect error, timeout, refused address); {@code retryAfterMs} is the
 * wait a 429 or 503 asked for with {@code Retry-After}, or −1; {@code reason} says why an attempt failed;
 * {@code failure} why no response arrived ({@link Failure#NONE} when one did); {@code responseExcerpt} the start
 * of the response body as text, for the attempt log ({@code null} when none was read).
 */
public record DeliveryOutcome(boolean delivered, int statusCode, long retryAfterMs, String reason,
    Failure failure, String responseExcerpt) {

  /** Why no response arrived: none did in time, the SSRF policy refused the address, or the exchange failed. */
  public enum Failure { NONE, TIMEOUT, REFUSED, ERROR }

  static final int NO_RESPONSE = 0;
  static final int GONE = 410;
  static final long NO_RETRY_AFTER = -1;

  public static DeliveryOutcome fromStatus(int statusCode) {
    return fromResponse(statusCode, null, 0);
  }

  /** The outcome of a response, honouring {@code Retry-After} on 429 and 503 only. */
  public static DeliveryOutcome fromResponse(int statusCode, String retryAfter, long nowMs) {
    boolean success = statusCode >= 200 && statusCode < 300;
    long waitMs = statusCode == 429 || statusCode == 503 ? RetryAfter.parseMs(retryAfter, nowMs) : NO_RETRY_AFTER;
    return new DeliveryOutcome(success, statusCode, waitMs, success ? null : "receiver answered " + statusCode,
        Failure.NONE, null);
  }

  public static DeliveryOutcome noResponse(String reason) {
    return noResponse(Failure.ERROR, reason);
  }

  public static DeliveryOutcome noResponse(Failure failure, String reason) {
    return new DeliveryOutcome(false, NO_RESPONSE, NO_RETRY_AFTER, reason, failure, null);
  }

  /** This outcome with the start of the response body. */
  public DeliveryOutcome withResponseExcerpt(String excerpt) {
    return new DeliveryOutcome(delivered, statusCode, retryAfterMs, reason, failure, excerpt);
  }

  /** The receiver answered 410 Gone: it wants no more deliveries. */
  public boolean gone() {
    return statusCode == GONE;
  }
}

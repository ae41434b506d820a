package io.ferry.dispatcher.core;

/**
 * What one webhook attempt came to. {@code statusCode} is the receiver's HTTP status, or {@code 0} when no
 * response arrived (connect error, timeout); {@code reason} says why an attempt failed, for the log.
 */
public record DeliveryOutcome(boolean delivered, int statusCode, String reason) {

  static final int NO_RESPONSE = 0;

  public static DeliveryOutcome fromStatus(int statusCode) {
    boolean success = statusCode >= 200 && statusCode < 300;
    return new DeliveryOutcome(success, statusCode, success ? null : "receiver answered " + statusCode);
  }

  public static DeliveryOutcome noResponse(String reason) {
    return new DeliveryOutcome(false, NO_RESPONSE, reason);
  }
}

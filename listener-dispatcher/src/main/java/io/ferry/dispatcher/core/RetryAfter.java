package io.ferry.dispatcher.core;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
final class RetryAfter {

  private RetryAfter() {
  }

  /** The wait in ms (0 for a date already past), or −1 when the value is absent or unreadable. */
  static long parseMs(String value, long nowMs) {
    if (value == null || value.isBlank()) {
      return DeliveryOutcome.NO_RETRY_AFTER;
    }
    String text = value.trim();
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Anything beyond a day is capped by the retry policy anyway; this only keeps the arithmetic in range.
      return text.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(text) * 1000;
    }
    try {
      long at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowMs);
    } catch (DateTimeParseException unreadable) {
      return DeliveryOutcome.NO_RETRY_AFTER;
    }
  }
}

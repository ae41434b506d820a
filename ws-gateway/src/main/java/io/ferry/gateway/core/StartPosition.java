package io.ferry.gateway.core;

import io.ferry.contracts.error.FerryException;

/**
 * Where a subscription starts reading the queue's log: live only, from a sequence on (replay, then live),
 * or the newest retained message (then live).
 */
public record StartPosition(Kind kind, long fromSequence) {

  /** How a subscription starts. */
  public enum Kind { LIVE, FROM, LAST }

  public static final StartPosition LIVE = new StartPosition(Kind.LIVE, 0);
  public static final StartPosition FIRST = new StartPosition(Kind.FROM, 0);
  public static final StartPosition LAST = new StartPosition(Kind.LAST, 0);

  private static final int ECHO_LIMIT = 40;

  public static StartPosition from(long sequence) {
    return new StartPosition(Kind.FROM, sequence);
  }

  /**
   * Reads the Sonya {@code sequence} query parameter: absent → live, {@code first}, {@code last}, or a
   * whole number ≥ 0; anything else fails with INVALID_FIELD naming {@code sequence}.
   */
  public static StartPosition parse(String raw) {
    if (raw == null) {
      return LIVE;
    }
    if (raw.equals("first")) {
      return FIRST;
    }
    if (raw.equals("last")) {
      return LAST;
    }
    long sequence;
    try {
      sequence = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw invalid(raw);
    }
    if (sequence < 0) {
      throw invalid(raw);
    }
    return from(sequence);
  }

  private static FerryException invalid(String raw) {
    String echo = raw.length() > ECHO_LIMIT ? raw.substring(0, ECHO_LIMIT) + "…" : raw;
    return FerryException.invalidField("sequence",
        "must be a whole number >= 0, 'first' or 'last', got '" + echo + "'");
  }
}

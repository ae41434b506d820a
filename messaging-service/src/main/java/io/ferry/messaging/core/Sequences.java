package io.ferry.messaging.core;

/**
 * The bounds of a queue's sequences. A client may choose a sequence (Sonya's {@code sequence}) up to
 * {@link #MAX_CLIENT_SEQUENCE}, a number every JSON client, JavaScript's included, represents exactly. Ferry
 * itself keeps assigning past it if a client went that far, up to {@link #MAX_SEQUENCE}: far enough above
 * the client ceiling that no queue runs out (2^62 - 2^53 more appends), and far enough below
 * {@code Long.MAX_VALUE} that the next sequence can never wrap negative.
 */
public final class Sequences {

  /** The highest sequence a client may choose: 2^53 - 1, JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
  public static final long MAX_CLIENT_SEQUENCE = (1L << 53) - 1;

  /** The highest sequence Ferry assigns; stored sequences outside 1..this are renumbered on start. */
  public static final long MAX_SEQUENCE = 1L << 62;

  private Sequences() {
  }

  static boolean inRange(long sequence) {
    return sequence >= 1 && sequence <= MAX_SEQUENCE;
  }
}

package io.ferry.messaging.core;

/**
 * One message awaiting resolution by one subscription. {@code leaseId} is the latest lease handed out for
 * it: it stays set after that lease expires, so a late ack still works until the message is leased again.
 */
final class Delivery {

  /** Where the delivery is: in the ready set, waiting for its time, out on a lease, or being written. */
  enum State { READY, DELAYED, LEASED, ACKING, RETRYING }

  final long sequence;
  int attempts;
  long availableAtMs;
  State state;
  String leaseId;
  long leaseExpiresAtMs;

  Delivery(long sequence, int attempts, long availableAtMs) {
    this.sequence = sequence;
    this.attempts = attempts;
    this.availableAtMs = availableAtMs;
  }
}

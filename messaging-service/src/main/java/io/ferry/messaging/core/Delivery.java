package io.ferry.messaging.core;

/**
 * A message with a delivery history for one subscription: leased at least once, or leased now. Messages
 * never delivered have no object; they are just a sequence in the subscription's ready or delayed set.
 * {@code leaseId} is the latest lease handed out: it stays set after that lease expires, so a late ack still
 * works until the message is leased again.
 */
final class Delivery {

  /**
   * Where the delivery is: in the ready set, waiting for its time, out on a lease, having its retry (or
   * release) written, waiting for its body to be dead-lettered, having its resolution (ack or dead-lettering)
   * written, having its miss written, or having its redelivery after a miss written. Once a miss is durable
   * the delivery object is dropped: a missed message is only a sequence in the subscription's missed set.
   */
  enum State { READY, DELAYED, LEASED, RETRYING, DEAD_LETTERING, RESOLVING, MISSING, REDELIVERING }

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

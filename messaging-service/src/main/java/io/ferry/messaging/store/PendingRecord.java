package io.ferry.messaging.store;

/**
 * The durable delivery state of one message for one subscription: how often it was delivered, when it may
 * next be delivered, and whether it is missed (given up on and held until a redelivery is asked for; never
 * available by itself; {@code availableAtMs} then says when it was missed, 0 when that is unknown). Its existence
 * means the subscription has not resolved the message yet.
 */
public record PendingRecord(String subscriptionId, long sequence, int attempts, long availableAtMs,
    boolean missed) {

  /** A delivery that is not missed. */
  public PendingRecord(String subscriptionId, long sequence, int attempts, long availableAtMs) {
    this(subscriptionId, sequence, attempts, availableAtMs, false);
  }
}

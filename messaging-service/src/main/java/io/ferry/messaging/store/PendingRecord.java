package io.ferry.messaging.store;

/**
 * The durable delivery state of one message for one subscription: how often it was delivered and when it
 * may next be delivered. Its existence means the subscription has not resolved the message yet.
 */
public record PendingRecord(String subscriptionId, long sequence, int attempts, long availableAtMs) {
}

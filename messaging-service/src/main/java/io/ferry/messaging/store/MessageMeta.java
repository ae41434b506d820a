package io.ferry.messaging.store;

/** What recovery needs to know of a stored message without its body. */
public record MessageMeta(String queueId, long sequence, int bodyBytes, long timestampMs, long availableAtMs) {
}

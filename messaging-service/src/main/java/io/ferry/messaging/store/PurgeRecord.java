package io.ferry.messaging.store;

/**
 * The last purge of a queue: when it started, the highest sequence it removes (messages appended after it
 * started have higher ones and are kept) and whether its removal is durable yet.
 */
public record PurgeRecord(String queueId, long startedAtMs, long throughSequence, boolean completed) {
}

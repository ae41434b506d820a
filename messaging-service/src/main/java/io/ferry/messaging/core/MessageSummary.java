package io.ferry.messaging.core;

/** A retained message in a listing: its queue, id and key (Sonya id / discue name, or {@code null}). */
public record MessageSummary(String queueId, String id, String key) {
}

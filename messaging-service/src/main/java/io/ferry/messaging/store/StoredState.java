package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.List;
import java.util.Map;

/**
 * Everything a store holds apart from message bodies, read once at start to rebuild the in-memory state.
 * {@code messages} are ordered by queue and sequence; {@code sequenceHeads} is each queue's highest sequence
 * ever appended (kept even when those messages are gone, so sequences are never reused).
 */
public record StoredState(List<QueueInfo> queues, Map<String, Long> sequenceHeads,
    List<SubscriptionSpec> subscriptions, List<MessageMeta> messages, List<PendingRecord> pending) {
}

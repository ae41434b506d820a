package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import java.util.List;

/** The messages as stored (ids and sequences assigned) and the queue's metrics after the append. */
public record PublishResult(List<StoredMessage> messages, QueueMetrics metrics) {
}

package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hot state of one queue: its settings as admin last told us, its sequence counters, its subscriptions
 * and an index of the messages the store holds for it.
 *
 * <p>{@code lastSequence} counts sequences handed out (possibly not yet durable); {@code publishedSequence}
 * is the highest sequence made durable and published. {@code lastAppend} completes when every append
 * handed to the store so far has completed, which topology changes wait for.
 */
final class QueueState {

  QueueInfo info;
  long lastSequence;
  long publishedSequence;
  boolean removed;
  Future<?> lastAppend = Future.succeededFuture();
  final Map<String, SubscriptionState> subscriptions = new LinkedHashMap<>();
  final TreeMap<Long, RetainedMessage> retained = new TreeMap<>();
  private long retainedBytes;

  QueueState(QueueInfo info, long lastSequence) {
    this.info = info;
    this.lastSequence = lastSequence;
    this.publishedSequence = lastSequence;
  }

  String id() {
    return info.id();
  }

  boolean paused() {
    return info.settings().deliveryPaused();
  }

  SubscriptionState pullConsumer() {
    for (SubscriptionState subscription : subscriptions.values()) {
      if (subscription.spec.kind() == io.ferry.contracts.model.SubscriptionSpec.Kind.PULL_CONSUMER) {
        return subscription;
      }
    }
    return null;
  }

  void retain(RetainedMessage message) {
    retained.put(message.sequence, message);
    retainedBytes += message.bodyBytes;
  }

  void release(RetainedMessage message) {
    if (retained.remove(message.sequence, message)) {
      retainedBytes -= message.bodyBytes;
    }
  }

  QueueMetrics metrics() {
    if (retained.isEmpty()) {
      return QueueMetrics.EMPTY;
    }
    return new QueueMetrics(retained.size(), retainedBytes, retained.firstEntry().getValue().timestampMs);
  }
}

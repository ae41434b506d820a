package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.schema.MessageSchema;
import io.ferry.messaging.store.PurgeRecord;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hot state of one queue: its settings as admin last told us, its sequence counters, its subscriptions,
 * the index of the messages the store holds for it, and its last purge.
 *
 * <p>{@code lastSequence} counts sequences handed out (possibly not yet durable); {@code publishedSequence}
 * is the highest sequence made durable and published. {@code lastAppend} completes when every append
 * handed to the store so far has completed, which topology changes wait for. {@code removalThrough} is the
 * highest sequence a retention or purge removal has already been asked for.
 */
final class QueueState {

  QueueInfo info;
  long lastSequence;
  long publishedSequence;
  long removalThrough;
  boolean removed;
  PurgeRecord purge;
  Future<?> lastAppend = Future.succeededFuture();
  final Map<String, SubscriptionState> subscriptions = new LinkedHashMap<>();
  final RetainedLog log = new RetainedLog();
  // The compiled form of info.schema() and the info it was compiled from (SchemaGate recompiles on change).
  MessageSchema schema;
  QueueInfo schemaCompiledFrom;
  // Resolved once per queue object by EngineMeters, so counting a change never looks a meter up by tags.
  QueueMeters meters;

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
      if (subscription.spec.kind() == SubscriptionSpec.Kind.PULL_CONSUMER) {
        return subscription;
      }
    }
    return null;
  }

  QueueMetrics metrics() {
    return log.metrics();
  }
}

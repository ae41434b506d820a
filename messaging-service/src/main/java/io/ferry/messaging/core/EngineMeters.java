package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The per-queue meters of one engine, labelled by queue id: kept across resyncs (the hot state is rebuilt,
 * the counts go on), created for every queue the engine holds and removed with the queue, so the number of
 * series follows the number of queues. Lives on the engine's context; the registered meters read only
 * {@link QueueMeters}' thread-safe fields.
 */
final class EngineMeters {

  static final String QUEUE_TAG = "queue";

  private final MeterRegistry registry;
  private final LongSupplier clockMs;
  private final Map<String, QueueMeters> byQueue = new HashMap<>();
  private final Map<String, List<Meter>> registered = new HashMap<>();
  private long refreshes;

  EngineMeters(MeterRegistry registry, LongSupplier clockMs) {
    this.registry = registry;
    this.clockMs = clockMs;
  }

  static EngineMeters fromDefaultRegistry(LongSupplier clockMs) {
    return new EngineMeters(BackendRegistries.getDefaultNow(), clockMs);
  }

  /**
   * The queue's meters, resolved once per queue object. A deleted queue gets unregistered ones, so a change
   * finishing after the deletion cannot bring its series back.
   */
  QueueMeters of(QueueState queue) {
    QueueMeters meters = queue.meters;
    if (meters == null) {
      meters = queue.removed ? new QueueMeters(queue.id()) : byQueue.computeIfAbsent(queue.id(), this::register);
      queue.meters = meters;
    }
    return meters;
  }

  /** The queue's history for graphs (kept whether or not a registry exports the meters). */
  QueueHistory historyOf(QueueState queue) {
    return of(queue).history;
  }

  /**
   * Copies every queue's gauge values from the hot state, samples each queue's history, and drops the meters of
   * queues it no longer has.
   */
  void refresh(EngineState state) {
    long generation = ++refreshes;
    for (QueueState queue : state.queues()) {
      QueueMeters meters = of(queue);
      meters.seenInRefresh = generation;
      QueueMetrics backlog = queue.metrics();
      long leased = 0;
      long delayed = 0;
      long missed = 0;
      for (SubscriptionState subscription : queue.subscriptions.values()) {
        leased += subscription.leasedCount();
        delayed += subscription.delayedCount();
        missed += subscription.missedCount();
      }
      meters.backlogMessages = backlog.backlogCount();
      meters.backlogBytes = backlog.backlogBytes();
      meters.oldestTimestampMs = backlog.backlogCount() > 0 ? backlog.oldestTimestampMs() : 0;
      meters.leasedMessages = leased;
      meters.delayedMessages = delayed;
      meters.missedMessages = missed;
      meters.history.sample(clockMs.getAsLong(), meters);
    }
    for (Iterator<QueueMeters> it = byQueue.values().iterator(); it.hasNext(); ) {
      QueueMeters meters = it.next();
      if (meters.seenInRefresh != generation) {
        it.remove();
        unregister(meters.queueId);
      }
    }
  }

  /** Removes the queue's series at once: a deleted queue does not linger on dashboards. */
  void remove(String queueId) {
    if (byQueue.remove(queueId) != null) {
      unregister(queueId);
    }
  }

  private QueueMeters register(String queueId) {
    QueueMeters meters = new QueueMeters(queueId);
    if (registry == null) {
      return meters;
    }
    Tags tags = Tags.of(QUEUE_TAG, queueId);
    List<Meter> meterList = new ArrayList<>();
    meterList.add(gauge("ferry.queue.backlog.messages", "Messages not yet resolved by every consumer", tags,
        meters, m -> m.backlogMessages));
    meterList.add(gauge("ferry.queue.backlog.bytes", "Body bytes of the backlog", tags, meters,
        m -> m.backlogBytes));
    meterList.add(gauge("ferry.queue.oldest.message.age.seconds", "Age of the oldest backlog message (0 when"
        + " empty)", tags, meters, this::oldestAgeSeconds));
    meterList.add(gauge("ferry.queue.leased.messages", "Deliveries out on a lease now (in flight), summed over"
        + " the queue's consumers", tags, meters, m -> m.leasedMessages));
    meterList.add(gauge("ferry.queue.delayed.messages", "Deliveries waiting for their delay or retry delay,"
        + " summed over the queue's consumers", tags, meters, m -> m.delayedMessages));
    meterList.add(gauge("ferry.queue.missed.messages", "Messages a listener gave up on, held until redelivered",
        tags, meters, m -> m.missedMessages));
    meterList.add(counter("ferry.queue.messages.pushed", "Messages appended (durable), dead-letter copies"
        + " included", tags, meters.pushed));
    meterList.add(counter("ferry.queue.messages.delivered", "Messages handed out on a lease", tags,
        meters.delivered));
    meterList.add(counter("ferry.queue.messages.acked", "Deliveries acknowledged", tags, meters.acked));
    meterList.add(counter("ferry.queue.messages.retried", "Failed deliveries made available again (retries and"
        + " expired leases)", tags, meters.retried));
    meterList.add(counter("ferry.queue.messages.dead.lettered", "Deliveries given up on after max_retries and"
        + " moved to the dead-letter queue (or dropped when it has none)", tags, meters.deadLettered));
    meterList.add(counter("ferry.queue.messages.expired", "Backlog messages removed because their retention"
        + " period passed", tags, meters.expired));
    registered.put(queueId, meterList);
    return meters;
  }

  private double oldestAgeSeconds(QueueMeters meters) {
    long oldest = meters.oldestTimestampMs;
    return oldest == 0 ? 0 : Math.max(0, clockMs.getAsLong() - oldest) / 1000.0;
  }

  private Meter gauge(String name, String description, Tags tags, QueueMeters meters,
      ToDoubleFunction<QueueMeters> value) {
    return Gauge.builder(name, meters, value).description(description).tags(tags).strongReference(true)
        .register(registry);
  }

  private Meter counter(String name, String description, Tags tags, LongAdder count) {
    return FunctionCounter.builder(name, count, LongAdder::doubleValue).description(description).tags(tags)
        .register(registry);
  }

  private void unregister(String queueId) {
    List<Meter> meters = registered.remove(queueId);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }
}

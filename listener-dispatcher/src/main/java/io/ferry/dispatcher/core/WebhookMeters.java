package io.ferry.dispatcher.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Webhook attempts per listener on {@code /metrics}: a counter per outcome, a counter of messages given up
 * on, and a latency histogram with fixed buckets (Prometheus computes quantiles from them). Labelled by queue
 * and listener id, so the number of series follows the number of listeners; a listener's series are removed
 * once no worker serves it any more.
 */
public final class WebhookMeters {

  /** What an attempt came to, as the {@code outcome} label says it. */
  public enum Outcome {
    SUCCESS("2xx"), REDIRECT("3xx"), CLIENT_ERROR("4xx"), SERVER_ERROR("5xx"), OTHER_STATUS("other"),
    TIMEOUT("timeout"), REFUSED("refused"), UNREACHABLE("error");

    final String label;

    Outcome(String label) {
      this.label = label;
    }

    static Outcome of(DeliveryOutcome outcome) {
      if (outcome.statusCode() == DeliveryOutcome.NO_RESPONSE) {
        return switch (outcome.failure()) {
          case TIMEOUT -> TIMEOUT;
          case REFUSED -> REFUSED;
          default -> UNREACHABLE;
        };
      }
      return switch (outcome.statusCode() / 100) {
        case 2 -> SUCCESS;
        case 3 -> REDIRECT;
        case 4 -> CLIENT_ERROR;
        case 5 -> SERVER_ERROR;
        default -> OTHER_STATUS;
      };
    }
  }

  static final String ATTEMPTS = "ferry.webhook.attempts";
  static final String MISSED = "ferry.webhook.missed";
  static final String DURATION = "ferry.webhook.attempt.duration";
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The meters of one listener, resolved once for its worker. */
  public static final class Listener {
    private final Map<Outcome, Counter> attempts = new EnumMap<>(Outcome.class);
    private Counter missed;
    private Timer duration;
    private final List<Meter> meters = new ArrayList<>();
    private int users;

    void attempted(DeliveryOutcome outcome, long elapsedNanos) {
      Outcome kind = Outcome.of(outcome);
      Counter counter = attempts.get(kind);
      if (counter != null) {
        counter.increment();
      }
      // A refused attempt never left the process: its duration says nothing about the receiver.
      if (duration != null && kind != Outcome.REFUSED) {
        duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
      }
    }

    void missed() {
      if (missed != null) {
        missed.increment();
      }
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Listener> byListener = new ConcurrentHashMap<>();

  public WebhookMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters in the process's registry (none when the process exports no metrics). */
  public static WebhookMeters fromDefaultRegistry() {
    return new WebhookMeters(BackendRegistries.getDefaultNow());
  }

  /** The listener's meters; each call is matched by one {@link #release}. */
  Listener acquire(String queueId, String listenerId) {
    // A listener's new worker may start before its old one has drained: they share the meters.
    return byListener.compute(listenerId, (id, meters) -> {
      Listener acquired = meters != null ? meters : register(queueId, id);
      acquired.users++;
      return acquired;
    });
  }

  void release(String listenerId) {
    byListener.computeIfPresent(listenerId, (id, meters) -> {
      if (--meters.users > 0) {
        return meters;
      }
      if (registry != null) {
        meters.meters.forEach(registry::remove);
      }
      return null;
    });
  }

  private Listener register(String queueId, String listenerId) {
    Listener meters = new Listener();
    if (registry == null) {
      return meters;
    }
    Tags tags = Tags.of("queue", queueId, "listener", listenerId);
    for (Outcome outcome : Outcome.values()) {
      Counter counter = Counter.builder(ATTEMPTS).description("Webhook attempts by what they came to")
          .tags(tags).tag("outcome", outcome.label).register(registry);
      meters.attempts.put(outcome, counter);
      meters.meters.add(counter);
    }
    meters.missed = Counter.builder(MISSED).description("Messages given up on after the last attempt failed"
        + " (held as missed until redelivered)").tags(tags).register(registry);
    meters.duration = Timer.builder(DURATION).description("Time from sending a webhook to its outcome")
        .tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    meters.meters.add(meters.missed);
    meters.meters.add(meters.duration);
    return meters;
  }
}

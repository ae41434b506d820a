package io.ferry.messaging.core;

import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acks, retries, releases, misses, lease expiry and dead-lettering (Cloudflare's meaning of
 * {@code max_retries}: the number of retries). A delivery that fails, by an explicit retry or an expired
 * lease, after it was delivered {@code max_retries + 1} times is resolved and its message dead-lettered, never
 * earlier: attempts only grow (except that a release takes back its own lease's attempt), and the only count
 * a crash can lose is that of leases out at the crash, which makes dead-lettering late by at most that
 * attempt. A listener's subscription has {@code SubscriptionSpec.UNLIMITED_RETRIES}: it is never exhausted
 * here; its dispatcher gives a delivery up with a miss.
 */
final class Settlements {

  private static final Logger LOG = LoggerFactory.getLogger(Settlements.class);
  // The longest retry delay a client may ask for (Cloudflare's 12 h); longer requests are shortened to it.
  private static final long MAX_RETRY_DELAY_MS = 43_200_000L;

  private final EngineRuntime runtime;
  private final Publisher publisher;
  private final Deliveries deliveries;

  Settlements(EngineRuntime runtime, Publisher publisher, Deliveries deliveries) {
    this.runtime = runtime;
    this.publisher = publisher;
    this.deliveries = deliveries;
  }

  static boolean exhausted(SubscriptionState subscription, Delivery delivery) {
    return delivery.attempts > subscription.spec.maxRetries();
  }

  /** Settles a subscription's leases; see {@code AckRequest} for what each list means. */
  Future<AckResult> ack(SubscriptionState subscription, List<String> acks, List<RetryRequest> retries,
      List<String> misses, List<String> releases) {
    List<Long> exhausted = new ArrayList<>();
    for (RetryRequest retry : retries) {
      Delivery delivery = subscription.actionable(retry.leaseId());
      if (delivery != null && exhausted(subscription, delivery)) {
        exhausted.add(delivery.sequence);
      }
    }
    // Dead-lettering needs the bodies, so they are read first; then every lease is claimed, written and
    // answered in one turn, so that nothing decided can change before it is written.
    return read(subscription.queue, exhausted)
        .compose(messages -> settle(subscription, new Requested(acks, retries, misses, releases), messages));
  }

  /** Expired leases found by the sweep: back to the ready set with their attempts recorded, or dead-lettered. */
  Future<Void> expired(SubscriptionState subscription, List<Delivery> expired, StoreBatch attempts) {
    List<Delivery> exhausted = new ArrayList<>();
    for (Delivery delivery : expired) {
      if (exhausted(subscription, delivery)) {
        subscription.hold(delivery, Delivery.State.DEAD_LETTERING);
        exhausted.add(delivery);
      } else {
        subscription.requeue(delivery);
        // Counted deliveries survive a restart, so dead-lettering can rely on them.
        attempts.putPending(subscription.id(), delivery.sequence, delivery.attempts, delivery.availableAtMs);
      }
    }
    runtime.meters.of(subscription.queue).retried.add(expired.size() - exhausted.size());
    if (exhausted.isEmpty()) {
      return Future.succeededFuture();
    }
    return read(subscription.queue, exhausted.stream().map(d -> d.sequence).toList()).transform(read -> {
      Settlement settlement = new Settlement(runtime, publisher, deliveries, subscription);
      for (Delivery delivery : exhausted) {
        if (!subscription.isCurrent(delivery) || delivery.state != Delivery.State.DEAD_LETTERING) {
          continue;
        }
        if (read.succeeded()) {
          settlement.deadLetter(delivery, read.result().get(delivery.sequence));
        } else {
          subscription.requeue(delivery);
        }
      }
      if (read.failed()) {
        LOG.warn("could not read messages to dead-letter; they stay available", read.cause());
        deliveries.wake(subscription);
      }
      return settlement.commit().onFailure(e -> LOG.warn("could not dead-letter expired deliveries", e));
    });
  }

  private record Requested(List<String> acks, List<RetryRequest> retries, List<String> misses,
      List<String> releases) {
  }

  private Future<AckResult> settle(SubscriptionState subscription, Requested requested,
      Map<Long, StoredMessage> messages) {
    Settlement settlement = new Settlement(runtime, publisher, deliveries, subscription);
    Map<String, String> warnings = new LinkedHashMap<>();
    int ackCount = 0;
    for (String leaseId : requested.acks()) {
      Delivery delivery = subscription.removed ? null : subscription.claim(leaseId, Delivery.State.RESOLVING);
      if (delivery == null) {
        warnings.put(leaseId, unusableLease(leaseId));
        continue;
      }
      settlement.ack(delivery);
      ackCount++;
    }
    long now = runtime.nowMs();
    int retryCount = 0;
    for (RetryRequest retry : requested.retries()) {
      Delivery delivery = subscription.removed ? null
          : subscription.claim(retry.leaseId(), Delivery.State.RETRYING);
      if (delivery == null) {
        warnings.put(retry.leaseId(), unusableLease(retry.leaseId()));
        continue;
      }
      // Not read means it was not exhausted when the bodies were read (max_retries changed): one more retry.
      if (exhausted(subscription, delivery) && messages.containsKey(delivery.sequence)) {
        settlement.deadLetter(delivery, messages.get(delivery.sequence));
      } else {
        settlement.retry(delivery, now + retryDelayMs(subscription, retry));
      }
      retryCount++;
    }
    for (String leaseId : requested.misses()) {
      Delivery delivery = subscription.removed ? null : subscription.claim(leaseId, Delivery.State.MISSING);
      if (delivery == null) {
        warnings.put(leaseId, unusableLease(leaseId));
      } else {
        settlement.miss(delivery);
      }
    }
    for (String leaseId : requested.releases()) {
      Delivery delivery = subscription.removed ? null : subscription.claim(leaseId, Delivery.State.RETRYING);
      if (delivery == null) {
        warnings.put(leaseId, unusableLease(leaseId));
      } else {
        settlement.release(delivery, now);
      }
    }
    int acked = ackCount;
    int retried = retryCount;
    return settlement.commit().map(v -> new AckResult(acked, retried, warnings));
  }

  private static long retryDelayMs(SubscriptionState subscription, RetryRequest retry) {
    Long requested = retry.requestedDelayMs();
    long delayMs = requested != null ? requested : subscription.spec.retryDelaySeconds() * 1000L;
    return Math.max(0, Math.min(MAX_RETRY_DELAY_MS, delayMs));
  }

  private Future<Map<Long, StoredMessage>> read(QueueState queue, List<Long> sequences) {
    if (sequences.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return runtime.store.read(queue.id(), sequences).map(found -> {
      Map<Long, StoredMessage> bySequence = new HashMap<>();
      found.forEach(message -> bySequence.put(message.sequence(), message));
      return bySequence;
    });
  }

  private static String unusableLease(String leaseId) {
    return "lease " + leaseId + " is unknown, was redelivered after it expired, or was already acked, retried, "
        + "missed or released";
  }
}

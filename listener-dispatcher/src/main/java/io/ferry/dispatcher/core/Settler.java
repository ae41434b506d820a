package io.ferry.dispatcher.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.RetryRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a listener's leases with messaging: one {@link AckRequest} in flight at a time, carrying every
 * lease settled while the previous one was under way. Each settlement is a durable write in messaging, so
 * batching them is what lets a busy listener go faster than one write per message.
 *
 * <p>A settlement that failed without saying it was refused (messaging unreachable, or no answer in time: a
 * shard moving between instances, an instance stopping) is sent again, with what was settled since, for up to
 * {@link #RETRY_FOR_MS}: settling is idempotent (a lease already settled is reported as a warning and changes
 * nothing), and a settlement given up makes the message expire and be delivered to the listener again.
 *
 * <p>Confined to the event loop of its worker.
 */
final class Settler {

  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);
  static final long FIRST_RETRY_MS = 50;
  static final long MAX_RETRY_MS = 1_000;
  /**
   * After the first failure. A lease's visibility outlasts its delivery attempts by a margin, and a lease that
   * expired still takes a late settlement until the sweep hands the message out again.
   */
  static final long RETRY_FOR_MS = 15_000;

  private record Pending(LeasedMessage leased, Verdict verdict) {
  }

  private final DispatcherServices services;
  private final ListenerInfo listener;
  private List<Pending> pending = new ArrayList<>();
  private boolean settling;
  private Promise<Void> idle;
  // Of the batch being retried: when its first failure came, and the next wait.
  private long retryingSinceMs = -1;
  private long retryMs = FIRST_RETRY_MS;

  Settler(DispatcherServices services, ListenerInfo listener) {
    this.services = services;
    this.listener = listener;
  }

  void settle(LeasedMessage leased, Verdict verdict) {
    pending.add(new Pending(leased, verdict));
    flush();
  }

  /** Hands back leases of messages that were not sent: available again at once, no attempt counted. */
  void release(List<LeasedMessage> messages) {
    messages.forEach(leased -> pending.add(new Pending(leased, Verdict.RELEASE)));
    flush();
  }

  /** Completes once everything settled so far has been answered by messaging (or has failed). */
  Future<Void> idle() {
    if (!settling && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    return idle.future();
  }

  private void flush() {
    if (settling || pending.isEmpty()) {
      if (!settling && idle != null) {
        idle.tryComplete();
        idle = null;
      }
      return;
    }
    List<Pending> batch = pending;
    pending = new ArrayList<>();
    settling = true;
    services.messaging().settle(request(batch)).onComplete(ar -> {
      if (ar.failed() && worthRetrying(ar.cause())) {
        retryLater(batch, ar.cause());
        return;
      }
      settling = false;
      retryingSinceMs = -1;
      retryMs = FIRST_RETRY_MS;
      if (ar.succeeded()) {
        for (Pending settled : batch) {
          if (settled.verdict().kind() == Verdict.Kind.MISS) {
            services.events().deliveryExhausted(listener, settled.leased().message().id(),
                settled.leased().attempts());
          }
        }
      } else {
        LOG.warn("listener {}: could not settle {} lease(s) ({}); they will expire and be delivered again",
            listener.id(), batch.size(), ar.cause().getMessage());
      }
      flush();
    });
  }

  private boolean worthRetrying(Throwable failure) {
    ErrorCode code = FerryException.from(failure).code();
    long now = System.currentTimeMillis();
    if (retryingSinceMs < 0) {
      retryingSinceMs = now;
    }
    return (code == ErrorCode.UNAVAILABLE || code == ErrorCode.OUTCOME_UNKNOWN) && now - retryingSinceMs < RETRY_FOR_MS;
  }

  // Still settling: what is settled meanwhile waits, then goes with this batch.
  private void retryLater(List<Pending> batch, Throwable failure) {
    LOG.debug("listener {}: settling {} lease(s) failed ({}); again in {} ms", listener.id(), batch.size(),
        failure.getMessage(), retryMs);
    long wait = retryMs;
    retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    services.vertx().setTimer(wait, t -> {
      batch.addAll(pending);
      pending = batch;
      settling = false;
      flush();
    });
  }

  private AckRequest request(List<Pending> batch) {
    List<String> acks = new ArrayList<>();
    List<RetryRequest> retries = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    List<String> releases = new ArrayList<>();
    for (Pending settled : batch) {
      String leaseId = settled.leased().leaseId();
      switch (settled.verdict().kind()) {
        case ACK -> acks.add(leaseId);
        case RETRY -> retries.add(new RetryRequest(leaseId, null, settled.verdict().delayMs()));
        case MISS -> misses.add(leaseId);
        case RELEASE, GONE -> releases.add(leaseId);
      }
    }
    return new AckRequest(listener.queueId(), listener.id(), acks, retries, misses, releases);
  }
}

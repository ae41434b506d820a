package io.ferry.dispatcher.core;

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
 * <p>Confined to the event loop of its worker.
 */
final class Settler {

  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);

  private record Pending(LeasedMessage leased, Verdict verdict) {
  }

  private final DispatcherServices services;
  private final ListenerInfo listener;
  private List<Pending> pending = new ArrayList<>();
  private boolean settling;
  private Promise<Void> idle;

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
      settling = false;
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

package io.ferry.dispatcher.core;

import io.ferry.contracts.config.DispatcherConfig;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.dispatcher.bus.MessagingClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one listener's messages: leases a batch from the listener's subscription, POSTs every message of
 * it in parallel, acks each delivered one and schedules a retry for each failed one, then leases again.
 * Leases are what keep several dispatcher instances from delivering one message twice at once.
 *
 * <p>Confined to the event loop of the context that starts it.
 */
public final class ListenerWorker {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerWorker.class);
  static final long BUS_BACKOFF_MS = 1_000;
  /** Extra visibility beyond two request timeouts, for the ack to reach messaging after the last attempt. */
  private static final int LEASE_MARGIN_MS = 5_000;

  private final Vertx vertx;
  private final ListenerInfo listener;
  private final WebhookSigner signer;
  private final MessagingClient messaging;
  private final WebhookSender sender;
  private final RetryPolicy retryPolicy;
  private final DispatcherConfig config;

  private boolean running;
  private long backoffTimer = -1;
  private Future<Void> batchInProgress = Future.succeededFuture();

  /**
   * @throws IllegalArgumentException when the listener's signing secret is unusable
   */
  public ListenerWorker(Vertx vertx, ListenerInfo listener, MessagingClient messaging, WebhookSender sender,
      RetryPolicy retryPolicy, DispatcherConfig config) {
    this.vertx = vertx;
    this.listener = listener;
    this.signer = WebhookSigner.forSecret(listener.secret());
    this.messaging = messaging;
    this.sender = sender;
    this.retryPolicy = retryPolicy;
    this.config = config;
  }

  public ListenerInfo listener() {
    return listener;
  }

  public void start() {
    running = true;
    leaseNext();
  }

  /**
   * Stops leasing. The returned future completes when the deliveries already under way have been settled;
   * the caller bounds how long it waits.
   */
  public Future<Void> stop() {
    running = false;
    if (backoffTimer >= 0) {
      vertx.cancelTimer(backoffTimer);
      backoffTimer = -1;
    }
    return batchInProgress;
  }

  private void leaseNext() {
    if (!running) {
      return;
    }
    messaging.lease(leaseRequest()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("listener {}: leasing failed, retrying in {} ms: {}", listener.id(), BUS_BACKOFF_MS,
            ar.cause().getMessage());
        pauseThenLease(BUS_BACKOFF_MS);
        return;
      }
      LeaseBatch batch = ar.result();
      if (!running) {
        release(batch.messages());
        return;
      }
      batchInProgress = deliverAll(batch.messages());
      batchInProgress.onComplete(done -> {
        if (batch.messages().isEmpty() && config.leaseWaitMs() == 0) {
          // Without a held lease request an empty queue would be polled in a tight loop.
          pauseThenLease(BUS_BACKOFF_MS);
        } else {
          leaseNext();
        }
      });
    });
  }

  private void pauseThenLease(long delayMs) {
    if (running) {
      backoffTimer = vertx.setTimer(delayMs, id -> {
        backoffTimer = -1;
        leaseNext();
      });
    }
  }

  private LeaseRequest leaseRequest() {
    // batchSize is the in-flight cap: a whole batch is delivered in parallel and settled before the next.
    return new LeaseRequest(listener.queueId(), listener.id(), config.maxInFlightPerListener(),
        2 * config.requestTimeoutMs() + LEASE_MARGIN_MS, config.leaseWaitMs());
  }

  private Future<Void> deliverAll(List<LeasedMessage> messages) {
    List<Future<Void>> deliveries = new ArrayList<>(messages.size());
    for (LeasedMessage leased : messages) {
      deliveries.add(deliver(leased));
    }
    return Future.join(deliveries).mapEmpty();
  }

  private Future<Void> deliver(LeasedMessage leased) {
    WebhookRequest request;
    try {
      request = WebhookRequest.of(listener, leased, signer, System.currentTimeMillis() / 1000);
    } catch (RuntimeException unrenderable) {
      return settle(leased, DeliveryOutcome.noResponse("message cannot be rendered as a webhook: "
          + unrenderable.getMessage()));
    }
    return sender.send(request).compose(outcome -> settle(leased, outcome));
  }

  private Future<Void> settle(LeasedMessage leased, DeliveryOutcome outcome) {
    if (!outcome.delivered()) {
      LOG.info("listener {}: attempt {} of message {} failed: {}", listener.id(), leased.attempts(),
          leased.message().id(), outcome.reason());
    }
    return messaging.settle(settlement(leased, outcome))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("listener {}: could not settle message {} ({}); its lease will expire and it will be "
              + "delivered again", listener.id(), leased.message().id(), e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Where the receiver's answer becomes the message's fate: 410, Retry-After and liveness plug in here. */
  private AckRequest settlement(LeasedMessage leased, DeliveryOutcome outcome) {
    if (outcome.delivered()) {
      return new AckRequest(listener.queueId(), listener.id(), List.of(leased.leaseId()), List.of());
    }
    RetryRequest retry = new RetryRequest(leased.leaseId(), retryPolicy.delaySeconds(leased.attempts()));
    return new AckRequest(listener.queueId(), listener.id(), List.of(), List.of(retry));
  }

  /** Hands back messages leased after stopping, so another instance can take them without waiting. */
  private void release(List<LeasedMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<RetryRequest> retries = new ArrayList<>(messages.size());
    for (LeasedMessage leased : messages) {
      retries.add(new RetryRequest(leased.leaseId(), 0));
    }
    messaging.settle(new AckRequest(listener.queueId(), listener.id(), List.of(), retries))
        .onFailure(e -> LOG.debug("listener {}: releasing {} leases failed; they will expire", listener.id(),
            messages.size()));
  }
}

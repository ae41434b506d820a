package io.ferry.dispatcher.core;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.WebhookAttempt;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one listener's messages: keeps up to {@code maxInFlightPerListener} signed POSTs under way, leasing
 * from the listener's subscription whenever enough of them have finished, and settles each attempt (ack,
 * retry after the backoff or the receiver's Retry-After, miss once its attempts are exhausted) through a
 * {@link Settler}. Leases are what keep several dispatcher instances from delivering one message twice.
 * Delivery pauses while the listener's liveness check says it is inactive, and ends for good when the
 * receiver answers 410 Gone.
 *
 * <p>Confined to the event loop of the context that starts it.
 */
public final class ListenerWorker {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerWorker.class);
  static final long BUS_BACKOFF_MS = 1_000;
  /** Extra visibility beyond two request timeouts, for the ack to reach messaging after the last attempt. */
  private static final int LEASE_MARGIN_MS = 5_000;

  private final DispatcherServices services;
  private final DispatcherConfig config;
  private final ListenerInfo listener;
  private final WebhookSigner signer;
  private final LivenessMonitor liveness;
  private final Settler settler;
  private WebhookMeters.Listener meters;

  private boolean running;
  /** Inactive per the liveness check: no leasing until it is stable again. */
  private boolean paused;
  /** The receiver answered 410: what is still in hand is released, nothing more is leased. */
  private boolean gone;
  private boolean leasing;
  private int inFlight;
  private long backoffTimer = -1;
  private Promise<Void> deliveriesDone;
  private Runnable onGone = () -> { };

  /**
   * @throws IllegalArgumentException when the listener's signing secret is unusable
   */
  public ListenerWorker(DispatcherServices services, ListenerInfo listener) {
    this.services = services;
    this.config = services.config();
    this.listener = listener;
    this.signer = WebhookSigner.forSecret(listener.secret());
    this.liveness = new LivenessMonitor(services, listener, this::pause, this::resume);
    this.settler = new Settler(services, listener);
  }

  public ListenerInfo listener() {
    return listener;
  }

  /** False once stopped, or once the receiver answered 410 Gone. */
  public boolean running() {
    return running;
  }

  public ListenerLiveness.State livenessState() {
    return liveness.state();
  }

  /** Called once when the receiver answers 410 Gone and the worker has stopped by itself. */
  public void whenGone(Runnable action) {
    this.onGone = action;
  }

  /** Starts delivering, and checking the listener's liveness. */
  public void start() {
    start(true, null);
  }

  /**
   * Starts delivering; checks the listener's liveness when {@code checksLiveness}, else follows the reports of
   * the instance that does. {@code lastLiveness} is the latest report known, or null.
   */
  public void start(boolean checksLiveness, ListenerLiveness lastLiveness) {
    if (meters == null) {
      meters = services.meters().acquire(listener.queueId(), listener.id());
    }
    running = true;
    liveness.start(checksLiveness, lastLiveness);
    fill();
  }

  /** Takes the liveness checks over from another instance, or hands them to it. */
  public void checkLiveness(boolean checks, ListenerLiveness lastLiveness) {
    liveness.checks(checks, lastLiveness);
  }

  /** A liveness report by whichever instance checks this listener. */
  public void followLiveness(ListenerLiveness report) {
    liveness.follow(report);
  }

  /**
   * Stops leasing. The returned future completes when the deliveries already under way have been settled;
   * the caller bounds how long it waits.
   */
  public Future<Void> stop() {
    running = false;
    liveness.stop();
    if (backoffTimer >= 0) {
      services.vertx().cancelTimer(backoffTimer);
      backoffTimer = -1;
    }
    Future<Void> delivered;
    if (inFlight == 0) {
      delivered = Future.succeededFuture();
    } else {
      deliveriesDone = deliveriesDone == null ? Promise.promise() : deliveriesDone;
      delivered = deliveriesDone.future();
    }
    return delivered.compose(v -> settler.idle()).onComplete(done -> releaseMeters());
  }

  private void releaseMeters() {
    if (meters != null && !running) {
      meters = null;
      services.meters().release(listener.id());
    }
  }

  private void pause() {
    paused = true;
  }

  private void resume() {
    paused = false;
    fill();
  }

  /**
   * Leases as many messages as there is room for under the in-flight cap. A lease is asked for only once at
   * least half the cap is free (or nothing is in flight), so a busy listener leases in batches, not one by one.
   */
  private void fill() {
    int room = config.maxInFlightPerListener() - inFlight;
    if (!running || paused || leasing || backoffTimer >= 0 || room <= 0
        || inFlight > 0 && room < Math.max(1, config.maxInFlightPerListener() / 4)) {
      return;
    }
    leasing = true;
    services.messaging().lease(leaseRequest(room)).onComplete(ar -> {
      leasing = false;
      if (ar.failed()) {
        LOG.warn("listener {}: leasing failed, retrying in {} ms: {}", listener.id(), BUS_BACKOFF_MS,
            ar.cause().getMessage());
        pauseThenFill(BUS_BACKOFF_MS);
        return;
      }
      LeaseBatch batch = ar.result();
      if (!running || paused) {
        // Not sent, so no attempt is burnt: another instance, or this one once resumed, takes them at once.
        settler.release(batch.messages());
        return;
      }
      batch.messages().forEach(this::deliver);
      if (!batch.messages().isEmpty() || config.leaseWaitMs() > 0) {
        fill();
      } else if (inFlight == 0) {
        // Without a held lease request an empty queue would be polled in a tight loop; with deliveries
        // under way, the next one to finish asks again.
        pauseThenFill(BUS_BACKOFF_MS);
      }
    });
  }

  private void pauseThenFill(long delayMs) {
    if (running) {
      backoffTimer = services.vertx().setTimer(delayMs, id -> {
        backoffTimer = -1;
        fill();
      });
    }
  }

  private LeaseRequest leaseRequest(int batchSize) {
    return new LeaseRequest(listener.queueId(), listener.id(), batchSize,
        2 * config.requestTimeoutMs() + LEASE_MARGIN_MS, config.leaseWaitMs());
  }

  private void deliver(LeasedMessage leased) {
    inFlight++;
    long sentAt = System.nanoTime();
    long sentAtMs = System.currentTimeMillis();
    Future<DeliveryOutcome> attempt;
    try {
      attempt = services.sender().send(WebhookRequest.of(listener, leased, signer,
          System.currentTimeMillis() / 1000));
    } catch (RuntimeException unrenderable) {
      attempt = Future.succeededFuture(DeliveryOutcome.noResponse("message cannot be rendered as a webhook: "
          + unrenderable.getMessage()));
    }
    attempt.onComplete(ar -> {
      inFlight--;
      long elapsed = System.nanoTime() - sentAt;
      if (meters != null) {
        meters.attempted(ar.result(), elapsed);
      }
      services.attempts().attempted(attemptOf(leased, ar.result(), sentAtMs, elapsed));
      settle(leased, ar.result());
      if (inFlight == 0 && deliveriesDone != null) {
        deliveriesDone.tryComplete();
      }
      fill();
    });
  }

  private WebhookAttempt attemptOf(LeasedMessage leased, DeliveryOutcome outcome, long sentAtMs, long elapsedNanos) {
    boolean answered = outcome.statusCode() != DeliveryOutcome.NO_RESPONSE;
    return new WebhookAttempt(Ids.newId(), listener.queueId(), listener.id(), leased.message().id(),
        leased.attempts(), sentAtMs, WebhookMeters.Outcome.of(outcome).label, answered ? outcome.statusCode() : null,
        answered ? null : outcome.reason(), TimeUnit.NANOSECONDS.toMillis(elapsedNanos), outcome.responseExcerpt());
  }

  private void settle(LeasedMessage leased, DeliveryOutcome outcome) {
    Verdict verdict = gone && !outcome.delivered()
        ? Verdict.RELEASE
        : Verdict.of(outcome, leased.attempts(), config.maxAttempts(), services.retryPolicy());
    if (!outcome.delivered()) {
      LOG.info("listener {}: attempt {} of message {} failed ({}): {}", listener.id(), leased.attempts(),
          leased.message().id(), describe(verdict), outcome.reason());
    }
    settler.settle(leased, verdict);
    if (verdict.kind() == Verdict.Kind.MISS && meters != null) {
      meters.missed();
    }
    if (verdict.kind() == Verdict.Kind.GONE) {
      receiverGone();
    }
  }

  private static String describe(Verdict verdict) {
    return switch (verdict.kind()) {
      case ACK -> "acked";
      case RETRY -> "retry in " + verdict.delayMs() + " ms";
      case MISS -> "attempts exhausted, missed";
      case RELEASE -> "released";
      case GONE -> "receiver gone, listener disabled";
    };
  }

  /** 410: stop here and have admin disable the listener durably, so no instance delivers to it again. */
  private void receiverGone() {
    if (gone) {
      return;
    }
    gone = true;
    stop();
    LOG.warn("listener {}: receiver answered 410 Gone; delivery stopped and the listener is being disabled",
        listener.id());
    services.admin().disable(listener.id()).onFailure(e -> LOG.warn("listener {}: admin did not record the "
        + "disabling ({}); the next delivery after a restart will find out again", listener.id(), e.getMessage()));
    onGone.run();
  }
}

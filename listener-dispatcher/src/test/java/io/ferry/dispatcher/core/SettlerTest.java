package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settlements against a messaging that answers some of them with a failure: those that may not have been applied
 * are sent again (a lost settlement would make the listener get the message again), refusals are not.
 */
class SettlerTest {

  private static final DispatcherConfig CONFIG = DispatcherConfigs.of(new JsonObject());
  private static final ListenerInfo LISTENER = new ListenerInfo("l1", "acct", "q1", "orders", "hook",
      "https://hooks.example/", null, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final ScriptedMessaging messaging = new ScriptedMessaging();
  private final List<String> exhausted = new CopyOnWriteArrayList<>();
  private final Settler settler = new Settler(services(), LISTENER);

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aSettlementAnsweredInDoubtIsSentAgainWithWhatWasSettledMeanwhile() throws Exception {
    messaging.failNext(ErrorCode.OUTCOME_UNKNOWN);
    context.runOnContext(v -> {
      settler.settle(leased("lease-1"), Verdict.ACK);
      // Settled while the first settlement is out (this messaging answers at once, so waits to be sent again).
      settler.settle(leased("lease-2"), Verdict.MISS);
    });

    awaitIdle();

    assertEquals(2, messaging.requests.size(), messaging.requests::toString);
    assertEquals(List.of("lease-1"), messaging.requests.get(0).acks());
    assertEquals(List.of("lease-1"), messaging.requests.get(1).acks());
    assertEquals(List.of("lease-2"), messaging.requests.get(1).misses());
    assertEquals(List.of("m-lease-2"), exhausted, "the miss is reported once it is settled");
  }

  @Test
  void aSettlementOfAShardNoInstanceServesIsSentAgainUntilOneDoes() throws Exception {
    messaging.failNext(ErrorCode.UNAVAILABLE);
    messaging.failNext(ErrorCode.UNAVAILABLE);
    context.runOnContext(v -> settler.settle(leased("lease-1"), Verdict.ACK));

    awaitIdle();

    assertEquals(3, messaging.requests.size(), messaging.requests::toString);
    messaging.requests.forEach(request -> assertEquals(List.of("lease-1"), request.acks()));
  }

  @Test
  void aRefusedSettlementIsNotSentAgain() throws Exception {
    messaging.failNext(ErrorCode.QUEUE_NOT_FOUND);
    context.runOnContext(v -> settler.settle(leased("lease-1"), Verdict.MISS));

    awaitIdle();

    assertEquals(1, messaging.requests.size(), messaging.requests::toString);
    assertEquals(List.of(), exhausted, "a miss that was not settled is not reported");
  }

  /** Once everything settled so far has been answered (or given up). */
  private void awaitIdle() throws Exception {
    Future.<Void>future(promise -> context.runOnContext(v -> settler.idle().onComplete(promise)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static LeasedMessage leased(String leaseId) {
    return new LeasedMessage(new StoredMessage("m-" + leaseId, "q1", 1, null, ContentType.TEXT,
        "hello".getBytes(StandardCharsets.UTF_8), 1_000, 2_000), leaseId, 1);
  }

  private DispatcherServices services() {
    DeliveryEvents events = new DeliveryEvents() {
      @Override
      public void deliveryExhausted(ListenerInfo listener, String messageId, int attempts) {
        exhausted.add(messageId);
      }

      @Override
      public void livenessChanged(ListenerInfo listener, ListenerLiveness liveness) {
      }
    };
    return new DispatcherServices(vertx, CONFIG, messaging, null, events, null, RetryPolicy.from(CONFIG),
        new WebhookMeters(null));
  }

  /** Records every settlement and fails the next ones with the codes given, in order. */
  private static final class ScriptedMessaging implements Leases {

    final List<AckRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<ErrorCode> failures = new ArrayDeque<>();

    synchronized void failNext(ErrorCode code) {
      failures.add(code);
    }

    @Override
    public Future<LeaseBatch> lease(LeaseRequest request) {
      return Future.succeededFuture(new LeaseBatch(List.of(), null));
    }

    @Override
    public synchronized Future<AckResult> settle(AckRequest request) {
      requests.add(request);
      ErrorCode failure = failures.poll();
      return failure == null ? Future.succeededFuture(new AckResult(request.acks().size(), 0, Map.of()))
          : Future.failedFuture(new FerryException(failure, failure.slug()));
    }
  }
}

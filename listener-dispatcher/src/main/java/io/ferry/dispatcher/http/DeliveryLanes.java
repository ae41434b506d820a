package io.ferry.dispatcher.http;

import io.ferry.contracts.runtime.EventLoopContexts;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.DeliveryOutcome;
import io.ferry.dispatcher.core.TargetVetting;
import io.ferry.dispatcher.core.WebhookClient;
import io.ferry.dispatcher.core.WebhookRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Spreads the webhook exchanges over several event loops: each lane is a context with its own
 * {@link WebhookSender}, whose connections live on that lane's loop, and a request takes the lane with the fewest
 * requests under way (the first of them on a tie, so deliveries one at a time keep reusing one connection). The
 * workers stay on the dispatcher's one loop (their state needs no locks) while the HTTP work, which is most of a
 * delivery's cost, uses every core; the outcome comes back on the caller's context.
 */
public final class DeliveryLanes implements WebhookClient {

  private final List<Lane> lanes;

  private record Lane(Context context, WebhookSender sender, AtomicInteger underWay) {
  }

  private DeliveryLanes(List<Lane> lanes) {
    this.lanes = lanes;
  }

  /** {@code config.deliveryLanes()} lanes, each with a sender as {@link WebhookSender#create} makes it. */
  public static Future<DeliveryLanes> create(Vertx vertx, DispatcherConfig config, TargetVetting vetting,
      TrustOptions trust) {
    return create(vertx, config.deliveryLanes(), () -> WebhookSender.create(vertx, config, vetting, trust));
  }

  // Deployed from the dispatcher's verticle, the lanes' holders are undeployed with it, after its stop has let
  // the deliveries under way finish.
  static Future<DeliveryLanes> create(Vertx vertx, int count, Supplier<WebhookSender> senders) {
    return EventLoopContexts.deploy(vertx, count).map(deployed -> {
      List<Lane> lanes = new ArrayList<>();
      for (Context context : deployed.contexts()) {
        lanes.add(new Lane(context, senders.get(), new AtomicInteger()));
      }
      return new DeliveryLanes(List.copyOf(lanes));
    });
  }

  @Override
  public Future<DeliveryOutcome> send(WebhookRequest request) {
    return onLeastBusyLane(sender -> sender.send(request));
  }

  @Override
  public Future<DeliveryOutcome> probe(String url, int timeoutMs) {
    return onLeastBusyLane(sender -> sender.probe(url, timeoutMs));
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    for (Lane lane : lanes) {
      closed.add(lane.sender().close());
    }
    return Future.join(closed).mapEmpty();
  }

  private Future<DeliveryOutcome> onLeastBusyLane(Function<WebhookSender, Future<DeliveryOutcome>> exchange) {
    Lane lane = leastBusy();
    lane.underWay().incrementAndGet();
    Context caller = Vertx.currentContext();
    Future<DeliveryOutcome> outcome;
    if (caller == null || caller == lane.context()) {
      outcome = exchange.apply(lane.sender());
    } else {
      Promise<DeliveryOutcome> answered = Promise.promise();
      // The sender's futures never fail, so only the result travels back.
      lane.context().runOnContext(v -> exchange.apply(lane.sender())
          .onComplete(done -> caller.runOnContext(back -> answered.complete(done.result()))));
      outcome = answered.future();
    }
    return outcome.andThen(done -> lane.underWay().decrementAndGet());
  }

  private Lane leastBusy() {
    Lane best = lanes.get(0);
    for (int i = 1; i < lanes.size() && best.underWay().get() > 0; i++) {
      if (lanes.get(i).underWay().get() < best.underWay().get()) {
        best = lanes.get(i);
      }
    }
    return best;
  }
}

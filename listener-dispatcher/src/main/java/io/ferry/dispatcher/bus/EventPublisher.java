package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.FerryEvents;
import io.ferry.contracts.model.EventTypes;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.dispatcher.core.DeliveryEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes the dispatcher's delivery events cluster-wide. */
public final class EventPublisher implements DeliveryEvents {

  private final Vertx vertx;

  public EventPublisher(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void deliveryExhausted(ListenerInfo listener, String messageId, int attempts) {
    publish(EventTypes.DELIVERY_EXHAUSTED, listener, listenerPayload(listener)
        .put("message_id", messageId)
        .put("attempts", attempts));
  }

  @Override
  public void livenessChanged(ListenerInfo listener, ListenerLiveness liveness) {
    String type = liveness.state() == ListenerLiveness.State.INACTIVE
        ? EventTypes.LISTENER_INACTIVE : EventTypes.LISTENER_STABLE;
    publish(type, listener, listenerPayload(listener)
        .put("state", liveness.state().wireName())
        .put("success_count", liveness.successCount())
        .put("failure_count", liveness.failureCount()));
  }

  private static JsonObject listenerPayload(ListenerInfo listener) {
    return new JsonObject().put("queue_id", listener.queueId()).put("listener_id", listener.id());
  }

  private void publish(String type, ListenerInfo listener, JsonObject payload) {
    FerryEvents.announce(vertx, new FerryEvent(Ids.newId(), type, listener.accountId(),
        listener.id(), System.currentTimeMillis(), payload));
  }
}

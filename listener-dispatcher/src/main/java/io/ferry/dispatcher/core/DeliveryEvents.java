package io.ferry.dispatcher.core;

import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;

/** The dispatcher's delivery events (docs/webhooks.md), for the audit trail and event subscriptions. */
public interface DeliveryEvents {

  /** {@code delivery.exhausted}: a message failed its last attempt and is now missed. */
  void deliveryExhausted(ListenerInfo listener, String messageId, int attempts);

  /** {@code listener.inactive} or {@code listener.stable}: the liveness check paused or resumed delivery. */
  void livenessChanged(ListenerInfo listener, ListenerLiveness liveness);
}

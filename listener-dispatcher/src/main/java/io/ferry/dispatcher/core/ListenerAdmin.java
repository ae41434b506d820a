package io.ferry.dispatcher.core;

import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerLiveness;
import io.vertx.core.Future;
import java.util.List;

/**
 * What the dispatcher asks and tells admin-service: the listeners to deliver to, with their signing secrets;
 * their liveness; that a receiver answered 410 Gone.
 */
public interface ListenerAdmin {

  Future<List<ListenerInfo>> allListeners();

  /** Fails with NOT_FOUND when the listener no longer exists. */
  Future<ListenerInfo> listener(String listenerId);

  /** Asks admin to disable the listener durably (its receiver answered 410); admin announces it. */
  Future<Void> disable(String listenerId);

  /** Fire and forget: the listener object shows the latest report; a lost one is replaced by the next. */
  void reportLiveness(ListenerLiveness liveness);
}

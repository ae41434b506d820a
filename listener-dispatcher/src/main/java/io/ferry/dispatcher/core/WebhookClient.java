package io.ferry.dispatcher.core;

import io.vertx.core.Future;

/** The dispatcher's outbound HTTP. The returned futures never fail: a failure is an outcome too. */
public interface WebhookClient {

  /** POSTs the request; completes with what the attempt came to, at the latest after the request timeout. */
  Future<DeliveryOutcome> send(WebhookRequest request);

  /** GETs a liveness URL; {@link DeliveryOutcome#delivered()} when it answered 2xx within {@code timeoutMs}. */
  Future<DeliveryOutcome> probe(String url, int timeoutMs);

  Future<Void> close();
}

package io.ferry.dispatcher.core;

import io.ferry.contracts.model.WebhookAttempt;

/** Where each webhook attempt is reported for the listener's attempt log. Never makes a delivery wait. */
public interface AttemptLog {

  void attempted(WebhookAttempt attempt);

  /** Keeps nothing (processes and tests without an attempt log). */
  AttemptLog NONE = attempt -> { };
}

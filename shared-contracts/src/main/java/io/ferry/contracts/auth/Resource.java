package io.ferry.contracts.auth;

/** What a {@link Scope} grants access to; {@link #wire()} is how scopes spell it. */
public enum Resource {
  /** Queues, consumers, purge, metrics, event subscriptions. */
  QUEUES(Scope.QUEUES),
  /** Push, pull, ack, peek, discue messages, Sonya send. */
  MESSAGES(Scope.MESSAGES),
  LISTENERS(Scope.LISTENERS),
  API_KEYS(Scope.API_KEYS),
  /** The audit trail. */
  EVENTS(Scope.EVENTS),
  /** Every Sonya route. */
  SONYA(Scope.SONYA);

  private final String wire;

  Resource(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}

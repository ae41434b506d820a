package io.ferry.contracts.auth;

/** The access level a {@link Scope} grants; write does not imply read. */
public enum Access {
  READ(Scope.READ),
  WRITE(Scope.WRITE);

  private final String wire;

  Access(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}

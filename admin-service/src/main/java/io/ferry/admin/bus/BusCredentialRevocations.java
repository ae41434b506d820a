package io.ferry.admin.bus;

import io.ferry.admin.core.CredentialRevocations;
import io.ferry.contracts.auth.CredentialsRevoked;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.vertx.core.Vertx;

/** {@link CredentialRevocations} published on {@link Endpoints#CREDENTIALS_REVOKED} to every process. */
public final class BusCredentialRevocations implements CredentialRevocations {

  private final Vertx vertx;

  public BusCredentialRevocations(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void revoked(String accountId) {
    Bus.publish(vertx, Endpoints.CREDENTIALS_REVOKED, new CredentialsRevoked(accountId));
  }
}

package io.ferry.admin.core;

/**
 * Tells every service that a credential of an account stopped being what it was (disabled, deleted, scopes
 * changed), so that none keeps serving a principal it cached before the change. Call only once the change
 * is durable: a service that asks again must get the new answer.
 */
public interface CredentialRevocations {

  void revoked(String accountId);
}

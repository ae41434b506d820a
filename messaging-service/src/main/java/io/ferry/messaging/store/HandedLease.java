package io.ferry.messaging.store;

/**
 * A delivery lease out when shard {@code shard} was given up gracefully, for its next owner to restore: the
 * message {@code sequence} of the subscription is leased as {@code leaseId} until {@code expiresAtMs} (the
 * engine's clock), delivered {@code attempts} times counting this lease.
 */
public record HandedLease(int shard, String subscriptionId, long sequence, String leaseId, long expiresAtMs,
    int attempts) {
}

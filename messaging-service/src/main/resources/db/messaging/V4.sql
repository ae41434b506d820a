-- The delivery leases a shard's previous owner had out when it gave the shard up gracefully (a rebalance, a
-- stop), so that the next owner restores them as they were (same lease id, expiry and attempts) instead of
-- delivering their messages again at once. Written by the old owner's last commit of the shard, fenced by its
-- epoch like every commit, which also records that epoch and deletes the shard's earlier hand-over; read by the
-- next owner's load of the shard, which restores only rows handed over at the epoch just before its own, and
-- deleted by that load's clean-up commit, before the shard serves. So at most one hand-over per shard is here,
-- and none is restored twice or by an owner that did not take the shard straight from the one that handed it.
-- An older build ignores this table (its next owner delivers those messages again, as before).
CREATE TABLE messaging_handed_leases (
  shard           integer NOT NULL,
  subscription_id text COLLATE "C" NOT NULL,
  sequence        bigint NOT NULL,
  epoch           bigint NOT NULL,
  lease_id        text COLLATE "C" NOT NULL,
  expires_at_ms   bigint NOT NULL,
  attempts        integer NOT NULL,
  PRIMARY KEY (shard, subscription_id, sequence)
);

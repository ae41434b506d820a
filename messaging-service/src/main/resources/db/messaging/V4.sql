-- The delivery leases a shard's previous owner had out when it gave the shard up gracefully (a rebalance, a
-- stop), so that the next owner restores them as they were (same lease id, expiry and attempts) instead of
-- delivering their messages again at once. Written by the old owner's last commit of the shard, fenced by its
-- epoch like every commit; read by the next owner's load of the shard and deleted by that load's clean-up
-- commit, before the shard serves: at most one owner's leases in flight per shard are ever here.
-- An older build ignores this table (its next owner redelivers those messages, as before).
CREATE TABLE messaging_handed_leases (
  shard           integer NOT NULL,
  subscription_id text COLLATE "C" NOT NULL,
  sequence        bigint NOT NULL,
  lease_id        text COLLATE "C" NOT NULL,
  expires_at_ms   bigint NOT NULL,
  attempts        integer NOT NULL,
  PRIMARY KEY (shard, subscription_id, sequence)
);

-- Messaging instances share a schema, each owning some of the deployment's shards (docs/scale-out.md). This
-- replaces the schema-wide owner of V2: nothing reads messaging_owner any more, and an older build, which
-- would still fence on it, refuses this schema's newer version at start, so it is dropped rather than left
-- to look meaningful.
DROP TABLE messaging_owner;

-- How many shards the deployment's queues are split into: fixed once the first instance started, since a
-- queue's shard is a hash of its id modulo this number. An instance configured otherwise refuses to start.
CREATE TABLE messaging_deployment (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  shards    integer NOT NULL CHECK (shards > 0)
);

-- A lease per shard. epoch is the fencing token: a claim raises it, and every write transaction locks the
-- shard's row FOR KEY SHARE and commits only if epoch is still the one its shard state was loaded under.
-- The UNIQUE (shard, epoch) makes epoch a key column for row locking: raising it takes the row's FOR UPDATE
-- lock, which waits for the writers' key-share locks, while a renewal (expires_at only) takes FOR NO KEY
-- UPDATE, which neither waits for writers nor stalls them. owner and expires_at are null while unowned;
-- expiry is judged by the database's clock (now()).
CREATE TABLE messaging_shard_leases (
  shard      integer PRIMARY KEY,
  owner      text,
  epoch      bigint NOT NULL DEFAULT 0,
  expires_at timestamptz,
  UNIQUE (shard, epoch)
) WITH (fillfactor = 50);

-- Every live instance's heartbeat, so that each knows how many share the shards (its fair share).
CREATE TABLE messaging_instances (
  instance text PRIMARY KEY,
  seen_at  timestamptz NOT NULL
);

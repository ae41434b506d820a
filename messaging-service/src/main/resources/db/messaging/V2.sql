-- Which messaging instance may write this schema, as a fencing token. An instance becomes the owner by taking
-- the session advisory lock hashtextextended('ferry-messaging-owner:' || schema, 0) on a connection of its
-- own, then raising epoch; every write transaction locks its row FOR SHARE right after BEGIN and commits
-- only if epoch is still the one it raised. So a deposed owner's transaction changes nothing, and a new
-- owner's raise waits for the transaction the old one has in flight.
-- Keyed by shard so that queues can later be split among instances with an owner per shard; today every
-- queue is in shard 0.
CREATE TABLE messaging_owner (
  shard integer PRIMARY KEY,
  epoch bigint NOT NULL,
  owner text NOT NULL,
  since timestamptz NOT NULL
);

INSERT INTO messaging_owner (shard, epoch, owner, since) VALUES (0, 0, '', now());

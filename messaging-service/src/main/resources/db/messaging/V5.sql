-- A push's delivery state on the message row (docs/storage.md, "Pending entries on the message row"): the
-- subscriptions a message was pushed pending for (attempts 0, available at the message's available_at_ms, not
-- missed), instead of a row each in messaging_pending. A row in messaging_pending for the same subscription and
-- sequence (a retry, a miss, a lease given back) overrides it. Null: none. About a third of PostgreSQL's work
-- per message pushed was the pending row.
ALTER TABLE messaging_messages ADD COLUMN pending_for text[] COLLATE "C";

-- Which of those entries are resolved: per subscription, a bit per sequence in blocks of 1,024 (block =
-- sequence >> 10; bit sequence & 1023, counted from the left). A group of acks sets its bits in a row or two
-- instead of rewriting each message row (acked messages stay, as history, until retention). Deleted with the
-- queue, the subscription, and by retention and purges below the block of the last sequence they remove.
-- Rewritten by every group of acks, so its pages keep room for HOT updates.
CREATE TABLE messaging_resolved (
  queue_id        text COLLATE "C" NOT NULL,
  subscription_id text COLLATE "C" NOT NULL,
  block           bigint NOT NULL,
  bits            bit(1024) NOT NULL,
  PRIMARY KEY (queue_id, subscription_id, block)
) WITH (fillfactor = 50);

-- Whether the instance's build reads pending_for. An older build loading a shard would see those messages as
-- resolved, so an instance keeps a push's pending entries on the message row only while every instance that
-- heartbeats here says true (an older build refuses this schema at start, but one already running when it was
-- migrated keeps its row, with false).
ALTER TABLE messaging_instances ADD COLUMN reads_pending_for boolean NOT NULL DEFAULT false;

-- messaging-service's durable record (the same content as the RocksDB store's column families).
-- Ids are compared byte-wise (COLLATE "C"): they are ASCII, and byte order keeps the indexes cheap and the
-- start-up scan's "by queue, then sequence" order independent of the database's locale.
-- No foreign keys: the engine writes pending entries and counters that may outlive their subscription for
-- a moment (recovery cleans them up), exactly as the RocksDB store allows.

CREATE TABLE messaging_queues (
  queue_id text COLLATE "C" PRIMARY KEY,
  record   jsonb NOT NULL
);

-- Each queue's highest appended sequence, kept when the messages are gone; updated by every append, so its
-- rows leave room for HOT updates.
CREATE TABLE messaging_sequence_heads (
  queue_id text COLLATE "C" PRIMARY KEY,
  sequence bigint NOT NULL
) WITH (fillfactor = 50);

CREATE TABLE messaging_subscriptions (
  subscription_id text COLLATE "C" PRIMARY KEY,
  record          jsonb NOT NULL
);

-- Messages acknowledged since the subscription was created; updated by every transaction holding acks.
CREATE TABLE messaging_acknowledged (
  subscription_id text COLLATE "C" PRIMARY KEY,
  count           bigint NOT NULL
) WITH (fillfactor = 50);

-- Each queue's last purge.
CREATE TABLE messaging_purges (
  queue_id         text COLLATE "C" PRIMARY KEY,
  started_at_ms    bigint NOT NULL,
  through_sequence bigint NOT NULL,
  completed        boolean NOT NULL
);

-- The log: inserted once, deleted by acks (queues without history), retention, purges and queue deletion.
-- The primary key serves every read (by sequence, by range, a range filtered by key) and every delete
-- (one, up to a sequence, the whole queue). Bodies are the produced bytes as they are.
CREATE TABLE messaging_messages (
  queue_id        text COLLATE "C" NOT NULL,
  sequence        bigint NOT NULL,
  message_id      text COLLATE "C" NOT NULL,
  message_key     text COLLATE "C",
  content_type    text NOT NULL,
  timestamp_ms    bigint NOT NULL,
  available_at_ms bigint NOT NULL,
  body            bytea NOT NULL,
  PRIMARY KEY (queue_id, sequence)
) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);

-- Unresolved deliveries per subscription; rewritten on redelivery (attempts, available-at), so pages keep
-- room for HOT updates, and deleted on resolution: a churning table that autovacuum must visit often.
CREATE TABLE messaging_pending (
  subscription_id text COLLATE "C" NOT NULL,
  sequence        bigint NOT NULL,
  attempts        integer NOT NULL,
  available_at_ms bigint NOT NULL,
  missed          boolean NOT NULL,
  PRIMARY KEY (subscription_id, sequence)
) WITH (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);

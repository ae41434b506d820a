-- Admin's records. Each table keeps the record as JSON text (doc, what RocksAdminStore stores too: read back
-- exactly as written) beside real columns for whatever a constraint, a join or an index needs. The
-- invariants live here, not in the service, so that several admin instances on one database cannot break
-- them: two inserts of the same name race on a unique index and exactly one commits.

CREATE TABLE admin_accounts (
  id text PRIMARY KEY,
  name text NOT NULL CONSTRAINT admin_accounts_name_key UNIQUE,
  created_at_ms bigint NOT NULL,
  doc text NOT NULL
);

CREATE TABLE admin_api_keys (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  -- Authentication looks a key up by its hash on every request (through the auth cache).
  key_hash text NOT NULL CONSTRAINT admin_api_keys_key_hash_key UNIQUE,
  created_at_ms bigint NOT NULL,
  doc text NOT NULL
);
CREATE INDEX admin_api_keys_account ON admin_api_keys (account_id, created_at_ms);

CREATE TABLE admin_queues (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  name text NOT NULL,
  created_at_ms bigint NOT NULL,
  doc text NOT NULL,
  CONSTRAINT admin_queues_name_key UNIQUE (account_id, name),
  -- The target of event subscriptions' foreign key: a destination must be a queue of the same account.
  CONSTRAINT admin_queues_id_account_key UNIQUE (id, account_id)
);

-- Consumers, listeners and event subscriptions go with their queue (ON DELETE CASCADE): deleting a queue is
-- one statement that nothing can interleave with.
CREATE TABLE admin_consumers (
  id text PRIMARY KEY,
  queue_id text NOT NULL CONSTRAINT admin_consumers_queue_fkey REFERENCES admin_queues (id) ON DELETE CASCADE,
  type text NOT NULL,
  created_at_ms bigint NOT NULL,
  doc text NOT NULL,
  CONSTRAINT admin_consumers_type_key UNIQUE (queue_id, type)
);

CREATE TABLE admin_listeners (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  queue_id text NOT NULL CONSTRAINT admin_listeners_queue_fkey REFERENCES admin_queues (id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at_ms bigint NOT NULL,
  -- The whsec_ secret in it is sealed when a secrets key is configured.
  doc text NOT NULL,
  CONSTRAINT admin_listeners_name_key UNIQUE (queue_id, name)
);
CREATE INDEX admin_listeners_account ON admin_listeners (account_id);

CREATE TABLE admin_event_subscriptions (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  source_type text NOT NULL,
  destination_queue_id text NOT NULL,
  created_at_ms bigint NOT NULL,
  doc text NOT NULL,
  CONSTRAINT admin_event_subscriptions_destination_fkey FOREIGN KEY (destination_queue_id, account_id)
    REFERENCES admin_queues (id, account_id) ON DELETE CASCADE,
  -- Its index also serves the account's list.
  CONSTRAINT admin_event_subscriptions_source_key UNIQUE (account_id, source_type, destination_queue_id)
);
CREATE INDEX admin_event_subscriptions_destination ON admin_event_subscriptions (destination_queue_id);

CREATE TABLE admin_settings (
  name text PRIMARY KEY,
  -- Sealed when a secrets key is configured (the token secret is a setting).
  value text NOT NULL
);

-- Each account's audit trail: events numbered per account without gaps (next_seq below, taken under the
-- trail's row lock, so appends to one trail commit in order), newest first by (account_id, seq). Appending
-- deletes what falls beyond the bound in the same transaction, so a trail never holds more than the bound.
CREATE TABLE admin_audit_trails (
  account_id text PRIMARY KEY,
  next_seq bigint NOT NULL
);

CREATE TABLE admin_audit_events (
  account_id text NOT NULL,
  seq bigint NOT NULL,
  id text NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (account_id, seq)
);
-- Paging cursors name an event by id.
CREATE INDEX admin_audit_events_id ON admin_audit_events (id);

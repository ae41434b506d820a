-- Each listener's webhook attempt log (docs/webhooks.md): rows in arrival order by seq, read per listener newest
-- first; appending deletes what falls beyond the configured bound in the same transaction. Paging cursors name an
-- attempt by id; a message's attempts are found by (queue_id, message_id).
CREATE TABLE admin_webhook_attempts (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text NOT NULL UNIQUE,
  listener_id text NOT NULL,
  queue_id text NOT NULL,
  message_id text NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (listener_id, seq)
);
CREATE INDEX admin_webhook_attempts_message ON admin_webhook_attempts (queue_id, message_id);

package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.testkit.Futures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance that gains some of the shards only (the others are leased to another instance) loads them and
 * makes their clean-up durable through each shard's own commits: a commit spanning every shard would be fenced
 * by the shards it does not own, the load would fail, and the shard would be released and gained again forever.
 */
class PartialShardLoadTest {

  private static final int SHARD = 5;

  @RegisterExtension
  final PgInstances pg = new PgInstances();

  @Test
  void aGainedShardWithLeftoversLoadsAndCleansThemWhileAnotherInstanceHoldsTheOtherShards() {
    var store = pg.open("gaining");
    pg.sql("INSERT INTO messaging_deployment (shards) VALUES ($1)", PgInstances.SHARDS);
    pg.sql("INSERT INTO messaging_shard_leases (shard, owner, epoch, expires_at) SELECT s, 'other', 1,"
        + " now() + interval '1 hour' FROM generate_series(0, $1 - 1) AS s WHERE s <> $2", PgInstances.SHARDS, SHARD);
    pg.sql("INSERT INTO messaging_shard_leases (shard) VALUES ($1)", SHARD);
    // A message of a queue that is gone: the load of its shard cleans it up.
    String orphan = queueOn(SHARD);
    pg.sql("INSERT INTO messaging_messages (queue_id, sequence, message_id, content_type, timestamp_ms,"
        + " available_at_ms, body) VALUES ($1, 1, $2, 'text', 1, 1, '\\x00'::bytea)", orphan, Ids.newId());

    MessagingEngine engine = Futures.await(pg.start(store), PgInstances.WAIT);

    assertEquals(0, pg.count("SELECT count(*) FROM messaging_messages WHERE queue_id = $1", orphan));
    assertEquals("gaining", pg.sql("SELECT owner FROM messaging_shard_leases WHERE shard = $1", SHARD).get(0)
        .getString(0));
    assertTrue(engine.serving());
  }

  private String queueOn(int shard) {
    while (true) {
      String id = Ids.newId();
      if (pg.map.shardOf(id) == shard) {
        return id;
      }
    }
  }
}

package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.testkit.Futures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance that gains some of the shards only (the others are leased to another instance) loads them and
 * makes their clean-up durable through each shard's own commits: a commit spanning every shard would be fenced
 * by the shards it does not own, the load would fail, and the shard would be released and gained again forever.
 * What it loads is the gained shards' whole backlog (and only theirs: the store reads no other shard's rows).
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

  @Test
  void aShardGainedOnARebalanceServesItsWholeBacklog() {
    int moving = PgInstances.SHARDS - 1;
    MessagingEngine first = Futures.await(pg.start(pg.open("first")), PgInstances.WAIT);
    QueueInfo gained = queue(queueOn(moving));
    QueueInfo kept = queue(queueOn(0));
    // More than one fetch of the store's load, in the shard that moves.
    int backlog = 1_500;
    for (QueueInfo queue : List.of(gained, kept)) {
      Futures.await(first.upsertQueue(queue), PgInstances.WAIT);
      Futures.await(first.upsertSubscription(new SubscriptionSpec(Ids.newId(), queue.id(),
          SubscriptionSpec.Kind.PULL_CONSUMER, 10, 100, 0, 60_000, null)), PgInstances.WAIT);
      Futures.await(first.publish(Publication.toQueue("acct", queue.id(), IntStream.range(0, backlog)
          .mapToObj(i -> new NewMessage(null, ContentType.TEXT, ("m" + i).getBytes(StandardCharsets.UTF_8), null))
          .toList(), null)), PgInstances.WAIT);
    }

    MessagingEngine second = Futures.await(pg.start(pg.open("second")), PgInstances.WAIT);
    Awaitility.await().atMost(PgInstances.WAIT).ignoreExceptions().until(() ->
        Futures.await(second.metrics("acct", gained.id()), PgInstances.WAIT).backlogCount() == backlog);

    assertEquals(10, Futures.await(second.pull("acct", gained.id(), 10, 60_000, 0), PgInstances.WAIT)
        .messages().size());
    assertEquals(backlog, Futures.await(first.metrics("acct", kept.id()), PgInstances.WAIT).backlogCount(),
        "the shard that stays serves on where it is");
  }

  private static QueueInfo queue(String id) {
    return new QueueInfo(id, "acct", "q-" + id.substring(0, 8), 1, 1, QueueSettings.DEFAULTS);
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

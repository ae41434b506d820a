package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same workload over many queues, sent concurrently, answers the same with one shard as with eight over
 * two event loops: per queue the same messages in the same order with the same sequences, the same backlogs,
 * the same dead-lettered copies (their dead-letter queues on other shards) and the same events, also after a
 * restart.
 */
class ShardEquivalenceTest {

  private static final int QUEUES = 16;
  private static final int BATCHES = 20;

  @Test
  void oneShardAndEightShardsAnswerAlike() throws Exception {
    List<String> queueIds = new ArrayList<>();
    List<String> consumerIds = new ArrayList<>();
    for (int i = 0; i < QUEUES; i++) {
      queueIds.add(Ids.newId());
      consumerIds.add(Ids.newId());
    }
    String one = run(new EngineHarness(), queueIds, consumerIds);
    EngineHarness sharded = EngineHarness.sharded(8, 2);
    assertTrue(spansShards(sharded.shardMap(), queueIds), "the queues spread over several shards");
    String eight = run(sharded, queueIds, consumerIds);

    assertEquals(one, eight);
  }

  private static boolean spansShards(ShardMap map, List<String> queueIds) {
    Set<Integer> shards = new HashSet<>();
    queueIds.forEach(id -> shards.add(map.shardOf(id)));
    return shards.size() > 1;
  }

  // Everything a client could observe, as text, so that a difference shows where it is.
  private static String run(EngineHarness harness, List<String> queueIds, List<String> consumerIds)
      throws Exception {
    harness.beforeEach(null);
    try {
      for (int i = 0; i < QUEUES; i++) {
        harness.upsert(new QueueInfo(queueIds.get(i), EngineHarness.ACCOUNT, "q" + i, 1, 1,
            QueueSettings.DEFAULTS));
      }
      for (int i = 0; i < QUEUES; i++) {
        // Each queue dead-letters into the next one, so with shards most copies cross to another shard.
        harness.subscribe(new SubscriptionSpec(consumerIds.get(i), queueIds.get(i),
            SubscriptionSpec.Kind.PULL_CONSUMER, 10, 0, 0, 30_000, queueIds.get((i + 1) % QUEUES)));
      }
      List<Future<PublishResult>> pushes = new ArrayList<>();
      for (int batch = 0; batch < BATCHES; batch++) {
        for (int q = 0; q < QUEUES; q++) {
          pushes.add(harness.engine().publish(Publication.toQueue(EngineHarness.ACCOUNT, queueIds.get(q),
              List.of(EngineHarness.text("q" + q + "-b" + batch + "-0", null),
                  EngineHarness.text("q" + q + "-b" + batch + "-1", null)), null)));
        }
      }
      EngineHarness.await(Future.all(pushes));

      List<Future<LeaseBatch>> pulls = new ArrayList<>();
      for (String queueId : queueIds) {
        pulls.add(harness.engine().pull(EngineHarness.ACCOUNT, queueId, 10, 30_000, 0));
      }
      EngineHarness.await(Future.all(pulls));
      List<Future<?>> settles = new ArrayList<>();
      for (int q = 0; q < QUEUES; q++) {
        List<LeasedMessage> leased = pulls.get(q).result().messages();
        // Ack the first half, retry the rest: with max_retries 0 a retry dead-letters.
        List<String> acks = leased.subList(0, 5).stream().map(LeasedMessage::leaseId).toList();
        List<RetryRequest> retries = leased.subList(5, leased.size()).stream()
            .map(m -> new RetryRequest(m.leaseId(), 0)).toList();
        settles.add(harness.engine().ackPulled(EngineHarness.ACCOUNT, queueIds.get(q), acks, retries));
      }
      EngineHarness.await(Future.all(settles));
      String before = observe(harness, queueIds);
      harness.restart();
      String after = observe(harness, queueIds);
      assertEquals(before, after, "a restart changes nothing a client sees");
      return before;
    } finally {
      harness.afterEach(null);
    }
  }

  private static String observe(EngineHarness harness, List<String> queueIds) {
    StringBuilder seen = new StringBuilder();
    for (int q = 0; q < QUEUES; q++) {
      String queueId = queueIds.get(q);
      seen.append("queue ").append(q).append(" backlog ").append(harness.backlog(queueId)).append('\n');
      for (StoredMessage message : harness.history(queueId)) {
        // The id's first 8 digits are random; the rest is the queue and the sequence.
        seen.append("  ").append(message.sequence()).append(' ').append(message.id().substring(8)).append(' ')
            .append(EngineHarness.body(message)).append('\n');
      }
    }
    TreeMap<String, Integer> eventCounts = new TreeMap<>();
    for (FerryEvent event : harness.events) {
      eventCounts.merge(event.type() + " " + event.payload().getString("queue_id"), 1, Integer::sum);
    }
    seen.append(eventCounts);
    return seen.toString();
  }
}

package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.EventTypes;
import io.ferry.gateway.TestNode.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How subscriptions end: at their token's expiry, and when their queue or id is deleted. */
class SubscriptionEndTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void socketIsClosedWith1008WhenItsTokenExpires() throws Exception {
    String queueId = node.createQueue("expiring");
    long expiresAt = System.currentTimeMillis() + 800;
    String token = node.token("expiring", "k", expiresAt);
    TestSocket socket = node.connect("/queue/listen/ws/expiring/k?access_token=" + token, null);
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "before expiry"));
    assertEquals("before expiry", socket.next().getString("payload"));
    assertEquals(1008, socket.awaitClose());
    long closedAt = System.currentTimeMillis();
    assertTrue(closedAt >= expiresAt, "closed " + (expiresAt - closedAt) + " ms before expiry");
    assertTrue(closedAt < expiresAt + 5_000, "closed " + (closedAt - expiresAt) + " ms after expiry");
  }

  @Test
  void socketWithoutExpiryStaysOpen() throws Exception {
    String queueId = node.createQueue("lasting");
    TestSocket socket = node.connect("/queue/listen/ws/lasting");
    Thread.sleep(1_000);
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "still here"));
    assertEquals("still here", socket.next().getString("payload"));
    assertFalse(socket.closeStatus.isDone());
    socket.close();
  }

  @Test
  void longPollAnswersEmptyAtTokenExpiry() throws Exception {
    node.createQueue("expiring-poll");
    long expiresAt = System.currentTimeMillis() + 600;
    String token = node.token("expiring-poll", "k", expiresAt);
    Reply reply = node.poll("/queue/listen/longpoll/expiring-poll/k?timeout_ms=10000", token);
    long answeredAt = System.currentTimeMillis();
    assertEquals(200, reply.status());
    assertEquals(new JsonArray(), reply.array());
    assertTrue(answeredAt < expiresAt + 5_000, "answered " + (answeredAt - expiresAt) + " ms after expiry");
  }

  @Test
  void deletedQueueClosesEverySubscriptionWith1000() throws Exception {
    String queueId = node.createQueue("closing");
    String other = node.createQueue("not-closing");
    TestSocket whole = node.connect("/queue/listen/ws/closing");
    TestSocket keyed = node.connect("/queue/listen/ws/closing/some-id?sequence=first");
    TestSocket unrelated = node.connect("/queue/listen/ws/not-closing");
    node.publishEvent(EventTypes.QUEUE_DELETED, queueId, new JsonObject().put("queue_name", "closing"));
    assertEquals(1000, whole.awaitClose());
    assertEquals(1000, keyed.awaitClose());
    node.publish(other, message(other, 1, "k", ContentType.TEXT, "unaffected"));
    assertEquals("unaffected", unrelated.next().getString("payload"));
    unrelated.close();
    awaitNoFeed(queueId);
  }

  @Test
  void deletedIdClosesThatIdsSubscriptionsWith1000Only() throws Exception {
    String queueId = node.createQueue("id-deleting");
    TestSocket deleted = node.connect("/queue/listen/ws/id-deleting/gone");
    TestSocket deletedToo = node.connect("/queue/listen/ws/id-deleting/gone?sequence=last");
    TestSocket otherId = node.connect("/queue/listen/ws/id-deleting/kept");
    TestSocket whole = node.connect("/queue/listen/ws/id-deleting");
    node.publishEvent(EventTypes.MESSAGES_DELETED_BY_KEY, queueId,
        new JsonObject().put("queue_name", "id-deleting").put("id", "gone"));
    assertEquals(1000, deleted.awaitClose());
    assertEquals(1000, deletedToo.awaitClose());
    node.publish(queueId, message(queueId, 1, "kept", ContentType.TEXT, "still flowing"));
    assertEquals("still flowing", otherId.next().getString("payload"));
    assertEquals("still flowing", whole.next().getString("payload"));
    assertFalse(otherId.closeStatus.isDone());
    assertFalse(whole.closeStatus.isDone());
    otherId.close();
    whole.close();
  }

  @Test
  void eventsForOtherQueuesOrOfOtherTypesChangeNothing() throws Exception {
    String queueId = node.createQueue("undisturbed");
    TestSocket socket = node.connect("/queue/listen/ws/undisturbed/x");
    String witnessQueueId = node.createQueue("undisturbed-witness");
    TestSocket witness = node.connect("/queue/listen/ws/undisturbed-witness");
    node.publishEvent(EventTypes.QUEUE_DELETED, "another-queue-id", new JsonObject());
    node.publishEvent(EventTypes.QUEUE_PURGED, queueId, new JsonObject());
    node.publishEvent(EventTypes.MESSAGES_DELETED_BY_KEY, queueId, new JsonObject().put("id", "y"));
    // Events are handled in order: once the witness's queue deletion closed it, the ones before were handled.
    node.publishEvent(EventTypes.QUEUE_DELETED, witnessQueueId, new JsonObject());
    witness.awaitClose();
    node.publish(queueId, message(queueId, 1, "x", ContentType.TEXT, "fine"));
    assertEquals("fine", socket.next().getString("payload"));
    assertFalse(socket.closeStatus.isDone());
    socket.close();
  }

  private static void awaitNoFeed(String queueId) {
    await("the deleted queue's feed is gone").atMost(Duration.ofSeconds(5))
        .until(() -> !node.hasFeedConsumer(queueId));
  }
}

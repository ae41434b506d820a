package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.ACCOUNT_B;
import static io.ferry.messaging.TestNode.KEY_A;
import static io.ferry.messaging.TestNode.KEY_B;
import static io.ferry.messaging.TestNode.queuePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET .../metrics/history}: the Cloudflare envelope around a queue's recent points, and its refusals. */
class QueueHistoryRoutesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void aNewQueueAnswersAnEmptyHistoryUnderBothPrefixes() {
    QueueInfo queue = node.createPullQueue();
    for (String path : new String[] {queuePath(ACCOUNT_A, queue.id()),
        "/accounts/" + ACCOUNT_A + "/queues/" + queue.id()}) {
      HttpResponse<Buffer> answer = node.get(path + "/metrics/history?minutes=5", KEY_A);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      JsonObject envelope = answer.bodyAsJsonObject();
      assertTrue(envelope.getBoolean("success"));
      assertEquals(new JsonArray(), envelope.getJsonArray("errors"));
      JsonObject result = envelope.getJsonObject("result");
      assertEquals(10, result.getInteger("resolution_seconds"));
      assertEquals(new JsonArray(), result.getJsonArray("points"));
    }
    assertEquals(200, node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics/history", KEY_A).statusCode(),
        "minutes is optional");
  }

  @Test
  void anUnknownQueueIs10104() {
    HttpResponse<Buffer> answer = node.get(queuePath(ACCOUNT_A, Ids.newId()) + "/metrics/history", KEY_A);
    assertEquals(404, answer.statusCode());
    assertEquals(10104, firstError(answer).getInteger("code"));
  }

  @Test
  void minutesOutsideOneToSixtyIsRefusedNamingIt() {
    QueueInfo queue = node.createPullQueue();
    for (String minutes : new String[] {"0", "61", "soon", "-1"}) {
      HttpResponse<Buffer> answer = node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics/history?minutes="
          + minutes, KEY_A);
      assertEquals(400, answer.statusCode(), minutes);
      assertFalse(answer.bodyAsJsonObject().getBoolean("success"));
      assertTrue(firstError(answer).getString("message").contains("minutes"), answer.bodyAsString());
    }
  }

  @Test
  void anotherAccountsQueueAndAMissingKeyAreRefused() {
    QueueInfo queue = node.createPullQueue();
    HttpResponse<Buffer> foreign = node.get(queuePath(ACCOUNT_B, queue.id()) + "/metrics/history", KEY_B);
    assertEquals(404, foreign.statusCode(), "another account's queue is reported like a missing one");
    assertEquals(403, node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics/history", KEY_B).statusCode());
    assertEquals(401, node.get(queuePath(ACCOUNT_A, queue.id()) + "/metrics/history").statusCode());
  }

  private static JsonObject firstError(HttpResponse<Buffer> answer) {
    return answer.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
  }
}

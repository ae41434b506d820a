package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries written field by field are the JSON the bus record gives, and their index fields read back alone. */
class AttemptJsonTest {

  @Test
  void anEntryIsTheRecordsJsonAndReadsBackWhole() {
    for (WebhookAttempt attempt : List.of(
        new WebhookAttempt("att_1", "q_1", "lst_1", "msg_1", 2, 1_700_000_000_123L, "5xx", 503, null, 41,
            "busy \"now\" \u00e9"),
        new WebhookAttempt("att_2", "q_1", "lst_1", "msg_2", 1, 5L, "timeout", null, "no answer within 10 ms", 10,
            null))) {
      byte[] entry = AttemptJson.encode(attempt);
      assertEquals(attempt.toJson().encode(), new String(entry, StandardCharsets.UTF_8));
      assertEquals(attempt, WebhookAttempt.fromJson(new JsonObject(new String(entry, StandardCharsets.UTF_8))));
      assertEquals(List.of(attempt.id(), attempt.queueId(), attempt.messageId(), attempt.listenerId()),
          AttemptJson.indexed(entry, List::of));
    }
  }
}

package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Webhook attempts a dispatcher reports together, oldest first. */
public record WebhookAttemptBatch(List<WebhookAttempt> attempts) implements BusPayload {

  public WebhookAttemptBatch {
    attempts = List.copyOf(attempts);
  }

  @Override
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    attempts.forEach(attempt -> list.add(attempt.toJson()));
    return new JsonObject().put("attempts", list);
  }

  public static WebhookAttemptBatch fromJson(JsonObject json) {
    List<WebhookAttempt> attempts = new ArrayList<>();
    JsonArray list = json.getJsonArray("attempts", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      attempts.add(WebhookAttempt.fromJson(list.getJsonObject(i)));
    }
    return new WebhookAttemptBatch(attempts);
  }
}

package io.ferry.messaging.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** discue's {@code POST /v1/queues/{queue_id}/messages}: {@code data} stored as a text message keyed by name. */
public final class DiscueMessagesApi {

  private static final int MAX_NAME_LENGTH = 512;

  private final MessagingEngine engine;

  public DiscueMessagesApi(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> auth) {
    router.post("/v1/queues/:queue_id/messages").handler(auth).handler(this::create);
  }

  private void create(RoutingContext ctx) {
    String account = Responses.principal(ctx).accountId();
    String queueId = ctx.pathParam("queue_id");
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_ID_MALFORMED, "queue_id: must be 32 lowercase hex characters",
          "queue_id");
    }
    JsonObject body = RequestJson.object(ctx);
    String name = RequestJson.optionalString(body, "name", "name");
    if (name != null && (name.isEmpty() || name.length() > MAX_NAME_LENGTH)) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    byte[] data = RequestJson.requiredString(body, "data", "data").getBytes(StandardCharsets.UTF_8);
    MessageLimits.checkMessageSize(data, "data");
    NewMessage message = new NewMessage(name, ContentType.TEXT, data, null);
    engine.publish(Publication.toQueue(account, queueId, List.of(message), null))
        .onSuccess(result -> {
          StoredMessage stored = result.messages().get(0);
          Responses.json(ctx, 200, new JsonObject()
              .put("message", new JsonObject().put("id", stored.id()).put("name", stored.key()))
              .put("_links", new JsonObject().put("self", new JsonObject()
                  .put("href", "/v1/queues/" + queueId + "/messages/" + stored.id()))));
        })
        .onFailure(ctx::fail);
  }
}

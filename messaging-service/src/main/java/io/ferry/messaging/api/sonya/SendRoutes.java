package io.ferry.messaging.api.sonya;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.MessageLimits;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.ferry.messaging.core.Sequences;
import io.vertx.core.Handler;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sonya's {@code POST /queue/send/{queue}}: the payload is stored as a json message keyed by the Sonya id.
 * A client {@code sequence} must exceed the queue's last one, which makes producer retries idempotent, and be at
 * most {@link Sequences#MAX_CLIENT_SEQUENCE}, so the queue always has room to grow.
 */
public final class SendRoutes {

  private static final int MAX_ID_LENGTH = 512;

  private final MessagingEngine engine;

  public SendRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    router.post("/queue/send/:queue").handler(authentication)
        .handler(Authorization.require(Resource.SONYA, Access.WRITE)).handler(this::send);
  }

  private void send(RoutingContext ctx) {
    Principal caller = Authentication.requirePrincipal(ctx);
    String queueName = ctx.pathParam("queue");
    caller.check(Resource.SONYA, Access.WRITE, queueName);
    String account = caller.accountId();
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    String id = RequestBody.requiredString(body, "id", "id");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "id", "must be 1 to " + MAX_ID_LENGTH + " characters");
    }
    if (!body.containsKey("payload")) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "payload", "is required");
    }
    byte[] payload = Json.encodeToBuffer(body.getValue("payload")).getBytes();
    MessageLimits.checkMessageSize(payload, "payload");
    Long sequence = RequestBody.optionalLong(body, "sequence", "sequence", 1, Sequences.MAX_CLIENT_SEQUENCE,
        ErrorCode.INVALID_FIELD);
    NewMessage message = new NewMessage(id, ContentType.JSON, payload, null);
    engine.publish(Publication.toQueueNamed(account, queueName, message, sequence))
        .onSuccess(result -> DialectResponses.sonya(ctx, 200, new JsonObject()
            .put("success", true)
            .put("sequence", result.messages().get(0).sequence())))
        .onFailure(ctx::fail);
  }
}

package io.ferry.messaging.api.cloudflare;

import static io.ferry.messaging.api.cloudflare.QueuePaths.account;
import static io.ferry.messaging.api.cloudflare.QueuePaths.queueId;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.MessageLimits;
import io.ferry.messaging.api.QueueGrants;
import io.ferry.messaging.api.cloudflare.PlainAckBodies.AckBody;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Cloudflare Queues message delivery: push, batch push, pull and ack. */
public final class MessageRoutes {

  private static final int MAX_PULL_BATCH = 100;
  private static final int MIN_VISIBILITY_MS = 1_000;
  private static final int MAX_VISIBILITY_MS = 43_200_000;
  private static final int MAX_WAIT_MS = 20_000;
  // The fields the SDK declares (wait_ms is Ferry's long poll); anything else is refused, not silently ignored.
  private static final int MAX_SHOWN_FIELD = 64;
  private static final List<String> PULL_FIELDS = List.of("batch_size", "visibility_timeout_ms", "wait_ms");
  private static final List<String> ACK_FIELDS = List.of("acks", "retries");
  private static final List<String> ACK_ENTRY_FIELDS = List.of("lease_id");
  private static final List<String> RETRY_ENTRY_FIELDS = List.of("lease_id", "delay_seconds");

  private final MessagingEngine engine;

  public MessageRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    // Pulling and acking change delivery state, so they are writes.
    Handler<RoutingContext> write = Authorization.require(Resource.MESSAGES, Access.WRITE);
    for (String queuePath : QueuePaths.QUEUES) {
      router.post(queuePath + "/messages").handler(authentication).handler(write).handler(this::push);
      router.post(queuePath + "/messages/batch").handler(authentication).handler(write).handler(this::pushBatch);
      router.post(queuePath + "/messages/pull").handler(authentication).handler(write).handler(this::pull);
      router.post(queuePath + "/messages/ack").handler(authentication).handler(write).handler(this::ack);
    }
  }

  private void push(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    NewMessage plain = rawBody(ctx, PlainPushBodies::single);
    List<NewMessage> messages = List.of(plain != null ? plain
        : MessageParser.message(RequestBody.objectOrEmpty(ctx), "", rawBody(ctx, RawJsonBodies::single)));
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, messages, null)))
        .onSuccess(result -> DialectResponses.cloudflareEncoded(ctx, ResultBytes.pushed(result.metrics())))
        .onFailure(ctx::fail);
  }

  private void pushBatch(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    PlainPushBodies.Batch batch = rawBody(ctx, PlainPushBodies::batch);
    if (batch == null) {
      batch = checkedBatch(ctx);
    }
    List<NewMessage> messages = batch.messages();
    Integer delay = batch.delaySeconds();
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, messages, delay)))
        .onSuccess(result -> DialectResponses.cloudflareEncoded(ctx, ResultBytes.pushed(result.metrics())))
        .onFailure(ctx::fail);
  }

  private void pull(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    refuseUnknown(body, PULL_FIELDS, "");
    Integer batchSize = RequestBody.optionalInt(body, "batch_size", "batch_size", 1, MAX_PULL_BATCH,
        ErrorCode.INVALID_FIELD);
    Integer visibility = RequestBody.optionalInt(body, "visibility_timeout_ms", "visibility_timeout_ms",
        MIN_VISIBILITY_MS, MAX_VISIBILITY_MS, ErrorCode.INVALID_FIELD);
    int waitMs = RequestBody.integer(body, "wait_ms", "wait_ms", 0, MAX_WAIT_MS, 0);
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.pull(account, queueId, batchSize, visibility, waitMs))
        .onSuccess(batch -> DialectResponses.cloudflareEncoded(ctx, ResultBytes.pulled(batch)))
        .onFailure(ctx::fail);
  }

  private void ack(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    AckBody plain = rawBody(ctx, PlainAckBodies::read);
    AckBody body = plain != null ? plain : checkedAckBody(ctx);
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.ackPulled(account, queueId, body.acks(), body.retries()))
        .onSuccess(result -> DialectResponses.cloudflareEncoded(ctx, ResultBytes.acked(result)))
        .onFailure(ctx::fail);
  }

  // Any body PlainPushBodies does not take: read as a JSON object, so that every problem gets its error.
  private static PlainPushBodies.Batch checkedBatch(RoutingContext ctx) {
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    Integer delay = MessageParser.batchDelay(body);
    JsonArray entries = body.getValue("messages") instanceof JsonArray array ? array : null;
    return new PlainPushBodies.Batch(MessageParser.batch(body,
        entries == null ? null : rawBody(ctx, request -> RawJsonBodies.batch(request, entries.size()))), delay);
  }

  // Any body PlainAckBodies does not take: read as a JSON object, so that every problem gets its error.
  private static AckBody checkedAckBody(RoutingContext ctx) {
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    refuseUnknown(body, ACK_FIELDS, "");
    List<String> acks = acks(RequestBody.optionalArray(body, "acks", "acks"));
    return new AckBody(acks, retries(RequestBody.optionalArray(body, "retries", "retries")));
  }

  private static <T> T rawBody(RoutingContext ctx, Function<Buffer, T> locate) {
    Buffer request = ctx.body() == null ? null : ctx.body().buffer();
    return request == null || request.length() == 0 ? null : locate.apply(request);
  }

  private static List<String> acks(JsonArray array) {
    List<String> acks = new ArrayList<>();
    for (int i = 0; array != null && i < array.size(); i++) {
      String path = "acks[" + i + "]";
      JsonObject entry = RequestBody.objectAt(array, i, path);
      refuseUnknown(entry, ACK_ENTRY_FIELDS, path + ".");
      acks.add(RequestBody.requiredString(entry, "lease_id", path + ".lease_id"));
    }
    return acks;
  }

  private static List<RetryRequest> retries(JsonArray array) {
    List<RetryRequest> retries = new ArrayList<>();
    for (int i = 0; array != null && i < array.size(); i++) {
      String path = "retries[" + i + "]";
      JsonObject retry = RequestBody.objectAt(array, i, path);
      refuseUnknown(retry, RETRY_ENTRY_FIELDS, path + ".");
      // Cloudflare documents an invalid delay as invalid message metadata (10203), for retries as for pushes.
      retries.add(new RetryRequest(RequestBody.requiredString(retry, "lease_id", path + ".lease_id"),
          RequestBody.optionalInt(retry, "delay_seconds", path + ".delay_seconds", 0,
              MessageLimits.MAX_DELAY_SECONDS, ErrorCode.MESSAGE_METADATA_INVALID)));
    }
    return retries;
  }

  private static void refuseUnknown(JsonObject body, List<String> known, String prefix) {
    for (String field : body.fieldNames()) {
      if (!known.contains(field)) {
        throw RequestBody.invalid(ErrorCode.INVALID_FIELD, prefix + shown(field),
            "unknown field; this body takes " + String.join(", ", known));
      }
    }
  }

  // The client's own field name goes back in the error; a name as long as the body need not.
  private static String shown(String field) {
    return field.length() <= MAX_SHOWN_FIELD ? field : field.substring(0, MAX_SHOWN_FIELD) + "...";
  }
}

package io.ferry.messaging.api;

import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Cloudflare Queues message routes: push, batch push, pull, ack, peek, purge by ref and queue metrics, under
 * both {@code /client/v4/accounts} and {@code /accounts}.
 */
public final class CloudflareMessagesApi {

  private static final List<String> QUEUE_PATHS = List.of(
      "/client/v4/accounts/:account_id/queues/:queue_id", "/accounts/:account_id/queues/:queue_id");
  private static final int MAX_PULL_BATCH = 100;
  private static final int MIN_VISIBILITY_MS = 1_000;
  private static final int MAX_VISIBILITY_MS = 43_200_000;
  private static final int MAX_WAIT_MS = 20_000;
  private static final int MAX_PEEK_BATCH = 100;
  private static final int MAX_PURGE_REFS = 1_000;
  // The fields the SDK declares (wait_ms is Ferry's long poll); anything else is refused, not silently ignored.
  private static final int MAX_SHOWN_FIELD = 64;
  private static final List<String> PULL_FIELDS = List.of("batch_size", "visibility_timeout_ms", "wait_ms");
  private static final List<String> ACK_FIELDS = List.of("acks", "retries");
  private static final List<String> ACK_ENTRY_FIELDS = List.of("lease_id");
  private static final List<String> RETRY_ENTRY_FIELDS = List.of("lease_id", "delay_seconds");

  private final MessagingEngine engine;

  public CloudflareMessagesApi(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Vertx vertx) {
    // Pulling and acking change delivery state, so they are writes; peek only looks.
    Handler<RoutingContext> read = BusAuthHandler.create(vertx, Scope.MESSAGES, Scope.READ);
    Handler<RoutingContext> write = BusAuthHandler.create(vertx, Scope.MESSAGES, Scope.WRITE);
    Handler<RoutingContext> queueRead = BusAuthHandler.create(vertx, Scope.QUEUES, Scope.READ);
    for (String queuePath : QUEUE_PATHS) {
      router.post(queuePath + "/messages").handler(write).handler(this::push);
      router.post(queuePath + "/messages/batch").handler(write).handler(this::pushBatch);
      router.post(queuePath + "/messages/pull").handler(write).handler(this::pull);
      router.post(queuePath + "/messages/ack").handler(write).handler(this::ack);
      router.post(queuePath + "/messages/peek").handler(read).handler(this::peek);
      router.post(queuePath + "/messages/purge").handler(write).handler(this::purgeByRefs);
      router.get(queuePath + "/metrics").handler(queueRead).handler(this::metrics);
    }
  }

  private void push(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    List<NewMessage> messages = List.of(CloudflareMessageParser.message(body, ""));
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, messages, null)))
        .onSuccess(result -> CloudflareResponses.ok(ctx, CloudflareResponses.pushed(result.metrics())))
        .onFailure(ctx::fail);
  }

  private void pushBatch(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    Integer delay = CloudflareMessageParser.batchDelay(body);
    List<NewMessage> messages = CloudflareMessageParser.batch(body);
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.publish(Publication.toQueue(account, queueId, messages, delay)))
        .onSuccess(result -> CloudflareResponses.ok(ctx, CloudflareResponses.pushed(result.metrics())))
        .onFailure(ctx::fail);
  }

  private void pull(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    refuseUnknown(body, PULL_FIELDS, "");
    Integer batchSize = RequestJson.optionalInt(body, "batch_size", "batch_size", 1, MAX_PULL_BATCH,
        ErrorCode.INVALID_FIELD);
    Integer visibility = RequestJson.optionalInt(body, "visibility_timeout_ms", "visibility_timeout_ms",
        MIN_VISIBILITY_MS, MAX_VISIBILITY_MS, ErrorCode.INVALID_FIELD);
    Integer waitMs = RequestJson.optionalInt(body, "wait_ms", "wait_ms", 0, MAX_WAIT_MS, ErrorCode.INVALID_FIELD);
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.pull(account, queueId, batchSize, visibility, waitMs == null ? 0 : waitMs))
        .onSuccess(batch -> CloudflareResponses.ok(ctx, CloudflareResponses.pulled(batch)))
        .onFailure(ctx::fail);
  }

  private void ack(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    refuseUnknown(body, ACK_FIELDS, "");
    List<String> acks = new ArrayList<>();
    JsonArray ackArray = RequestJson.optionalArray(body, "acks", "acks");
    for (int i = 0; ackArray != null && i < ackArray.size(); i++) {
      String path = "acks[" + i + "]";
      JsonObject entry = RequestJson.objectAt(ackArray, i, path);
      refuseUnknown(entry, ACK_ENTRY_FIELDS, path + ".");
      acks.add(RequestJson.requiredString(entry, "lease_id", path + ".lease_id"));
    }
    List<RetryRequest> retries = new ArrayList<>();
    JsonArray retryArray = RequestJson.optionalArray(body, "retries", "retries");
    for (int i = 0; retryArray != null && i < retryArray.size(); i++) {
      String path = "retries[" + i + "]";
      JsonObject retry = RequestJson.objectAt(retryArray, i, path);
      refuseUnknown(retry, RETRY_ENTRY_FIELDS, path + ".");
      // Cloudflare documents an invalid delay as invalid message metadata (10203), for retries as for pushes.
      retries.add(new RetryRequest(RequestJson.requiredString(retry, "lease_id", path + ".lease_id"),
          RequestJson.optionalInt(retry, "delay_seconds", path + ".delay_seconds", 0,
              MessageLimits.MAX_DELAY_SECONDS, ErrorCode.MESSAGE_METADATA_INVALID)));
    }
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.ackPulled(account, queueId, acks, retries))
        .onSuccess(result -> CloudflareResponses.ok(ctx, CloudflareResponses.acked(result)))
        .onFailure(ctx::fail);
  }

  private void peek(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    Integer batchSize = RequestJson.optionalInt(body, "batch_size", "batch_size", 1, MAX_PEEK_BATCH,
        ErrorCode.INVALID_FIELD);
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.READ, account, queueId)
        .compose(v -> engine.peek(account, queueId, batchSize == null ? 1 : batchSize))
        .onSuccess(peeked -> CloudflareResponses.ok(ctx, CloudflareResponses.peeked(peeked)))
        .onFailure(ctx::fail);
  }

  // A ref is the message id; clients must treat it as opaque so that it can change.
  private void purgeByRefs(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestJson.object(ctx);
    JsonArray refArray = RequestJson.optionalArray(body, "refs", "refs");
    if (refArray == null) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "refs", "is required");
    }
    if (refArray.size() > MAX_PURGE_REFS) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "refs", "at most " + MAX_PURGE_REFS + " refs per request");
    }
    List<String> refs = new ArrayList<>(refArray.size());
    for (int i = 0; i < refArray.size(); i++) {
      String path = "refs[" + i + "]";
      refs.add(RequestJson.requiredString(RequestJson.objectAt(refArray, i, path), "ref", path + ".ref"));
    }
    QueueGrants.check(ctx, Scope.MESSAGES, Scope.WRITE, account, queueId)
        .compose(v -> engine.deleteMessages(account, queueId, refs))
        .onSuccess(unknown -> CloudflareResponses.ok(ctx, CloudflareResponses.purged(unknown)))
        .onFailure(ctx::fail);
  }

  private void metrics(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    QueueGrants.check(ctx, Scope.QUEUES, Scope.READ, account, queueId)
        .compose(v -> engine.metrics(account, queueId))
        .onSuccess(metrics -> CloudflareResponses.ok(ctx, CloudflareResponses.metrics(metrics)))
        .onFailure(ctx::fail);
  }

  private static void refuseUnknown(JsonObject body, List<String> known, String prefix) {
    for (String field : body.fieldNames()) {
      if (!known.contains(field)) {
        throw RequestJson.invalid(ErrorCode.INVALID_FIELD, prefix + shown(field),
            "unknown field; this body takes " + String.join(", ", known));
      }
    }
  }

  // The client's own field name goes back in the error; a name as long as the body need not.
  private static String shown(String field) {
    return field.length() <= MAX_SHOWN_FIELD ? field : field.substring(0, MAX_SHOWN_FIELD) + "...";
  }

  private static String account(RoutingContext ctx) {
    String account = ctx.pathParam("account_id");
    if (!Responses.principal(ctx).owns(account)) {
      throw new FerryException(ErrorCode.FORBIDDEN, "this credential does not grant access to account " + account);
    }
    return account;
  }

  private static String queueId(RoutingContext ctx) {
    String queueId = ctx.pathParam("queue_id");
    if (!Ids.isValid(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_ID_MALFORMED, "queue_id: must be 32 lowercase hex characters",
          "queue_id");
    }
    return queueId;
  }
}

package io.ferry.messaging.api.cloudflare;

import static io.ferry.messaging.api.cloudflare.QueuePaths.account;
import static io.ferry.messaging.api.cloudflare.QueuePaths.queueId;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.QueueGrants;
import io.ferry.messaging.core.MessagingEngine;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Cloudflare Queues browsing outside delivery: peek at messages and delete them by ref. */
public final class BrowseRoutes {

  private static final int MAX_PEEK_BATCH = 100;
  private static final int MAX_PURGE_REFS = 1_000;

  private final MessagingEngine engine;

  public BrowseRoutes(MessagingEngine engine) {
    this.engine = engine;
  }

  public void mount(Router router, Handler<RoutingContext> authentication) {
    Handler<RoutingContext> read = Authorization.require(Resource.MESSAGES, Access.READ);
    Handler<RoutingContext> write = Authorization.require(Resource.MESSAGES, Access.WRITE);
    for (String queuePath : QueuePaths.QUEUES) {
      router.post(queuePath + "/messages/peek").handler(authentication).handler(read).handler(this::peek);
      router.post(queuePath + "/messages/purge").handler(authentication).handler(write).handler(this::purgeByRefs);
    }
  }

  private void peek(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    int batchSize = RequestBody.integer(body, "batch_size", "batch_size", 1, MAX_PEEK_BATCH, 1);
    QueueGrants.check(ctx, Resource.MESSAGES, Access.READ, account, queueId)
        .compose(v -> engine.peek(account, queueId, batchSize))
        .onSuccess(peeked -> DialectResponses.cloudflare(ctx, MessageJson.peeked(peeked)))
        .onFailure(ctx::fail);
  }

  // A ref is the message id; clients must treat it as opaque so that it can change.
  private void purgeByRefs(RoutingContext ctx) {
    String account = account(ctx);
    String queueId = queueId(ctx);
    List<String> refs = refs(RequestBody.objectOrEmpty(ctx));
    QueueGrants.check(ctx, Resource.MESSAGES, Access.WRITE, account, queueId)
        .compose(v -> engine.deleteMessages(account, queueId, refs))
        .onSuccess(unknown -> DialectResponses.cloudflare(ctx, MessageJson.purged(unknown)))
        .onFailure(ctx::fail);
  }

  private static List<String> refs(JsonObject body) {
    JsonArray array = RequestBody.optionalArray(body, "refs", "refs");
    if (array == null) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "refs", "is required");
    }
    if (array.size() > MAX_PURGE_REFS) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "refs", "at most " + MAX_PURGE_REFS + " refs per request");
    }
    List<String> refs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "refs[" + i + "]";
      refs.add(RequestBody.requiredString(RequestBody.objectAt(array, i, path), "ref", path + ".ref"));
    }
    return refs;
  }
}

package io.ferry.messaging.bus;

import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.ferry.messaging.core.MessageSummary;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.PeekedMessage;
import io.ferry.messaging.core.Publication;
import io.ferry.messaging.core.PublishResult;
import io.ferry.messaging.core.QueueHistory;
import io.ferry.messaging.core.Shard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON of every shard operation, both ways, in one place: {@link Client} writes a call's arguments and
 * reads its result; {@link #serve} reads the arguments, runs the operation on the owner's shard and writes
 * the result. Bodies stay byte arrays inside the JSON, so the local bus copies nothing and the wire encodes
 * them once.
 */
public final class ShardCalls {

  private static final String VALUE = "value";

  private ShardCalls() {
  }

  /** Sends a call to the shard's owner and completes with its reply. */
  public interface Transport {
    Future<ShardReply> send(ShardCall call, long timeoutMs);
  }

  /** Runs {@code call} on {@code shard}, the owner's, and writes its result. */
  public static Future<ShardReply> serve(Shard shard, ShardCall call) {
    JsonObject a = call.arguments();
    return switch (call.operation()) {
      case "publish" -> shard.publish(publication(a.getJsonObject("publication")))
          .map(r -> reply(publishResult(r)));
      case "pull" -> shard.pull(a.getString("accountId"), a.getString("queueId"), a.getInteger("batchSize"),
          a.getInteger("visibilityTimeoutMs"), a.getInteger("waitMs")).map(r -> reply(r.toJson()));
      case "ackPulled" -> shard.ackPulled(a.getString("accountId"), a.getString("queueId"),
          strings(a.getJsonArray("acks")), list(a.getJsonArray("retries"), RetryRequest::fromJson))
          .map(r -> reply(r.toJson()));
      case "lease" -> shard.lease(LeaseRequest.fromJson(a)).map(r -> reply(r.toJson()));
      case "ack" -> shard.ack(AckRequest.fromJson(a)).map(r -> reply(r.toJson()));
      case "subscriptionStats" -> shard.subscriptionStats(SubscriptionRef.fromJson(a)).map(r -> reply(r.toJson()));
      case "redeliver" -> shard.redeliver(RedeliverRequest.fromJson(a)).map(r -> reply(r.toJson()));
      case "history" -> shard.history(HistoryRequest.fromJson(a)).map(r -> reply(r.toJson()));
      case "historyPoints" -> shard.history(a.getString("accountId"), a.getString("queueId"),
          a.getInteger("minutes")).map(r -> reply(array(r, ShardCalls::point)));
      case "metrics" -> shard.metrics(a.getString("accountId"), a.getString("queueId"))
          .map(r -> reply(r.toJson()));
      case "peek" -> shard.peek(a.getString("accountId"), a.getString("queueId"), a.getInteger("batchSize"))
          .map(r -> reply(array(r, ShardCalls::peeked)));
      case "listMessages" -> shard.listMessages(a.getString("accountId"), a.getString("queueId"),
          a.getString("startAfter"), a.getInteger("limit")).map(r -> reply(array(r, ShardCalls::summary)));
      case "queueIdsOf" -> shard.queueIdsOf(a.getString("accountId")).map(r -> reply(new JsonArray(r)));
      case "message" -> shard.message(a.getString("accountId"), a.getString("queueId"), a.getString("messageId"))
          .map(r -> reply(r.toJson()));
      case "deleteMessage" -> shard.deleteMessage(a.getString("accountId"), a.getString("queueId"),
          a.getString("messageId")).map(r -> reply(r.toJson()));
      case "deleteMessages" -> shard.deleteMessages(a.getString("accountId"), a.getString("queueId"),
          strings(a.getJsonArray("messageIds"))).map(r -> reply(new JsonArray(r)));
      case "deleteByKey" -> shard.deleteByKey(a.getString("queueId"), a.getString("key")).map(r -> empty());
      case "purge" -> shard.purge(a.getString("accountId"), a.getString("queueId")).map(r -> reply(r.toJson()));
      case "purgeStatus" -> shard.purgeStatus(a.getString("accountId"), a.getString("queueId"))
          .map(r -> reply(r.toJson()));
      case "upsertQueue" -> shard.upsertQueue(QueueInfo.fromJson(a)).map(r -> empty());
      case "deleteQueue" -> shard.deleteQueue(a.getString("queueId")).map(r -> empty());
      case "upsertSubscription" -> shard.upsertSubscription(SubscriptionSpec.fromJson(a)).map(r -> empty());
      case "deleteSubscription" -> shard.deleteSubscription(a.getString("subscriptionId")).map(r -> empty());
      case "appendDeadLetterCopy" -> shard.appendDeadLetterCopy(a.getString("queueId"),
          newMessage(a.getJsonObject("message"))).map(r -> reply(r));
      default -> Future.failedFuture(new IllegalArgumentException("unknown shard operation " + call.operation()));
    };
  }

  /**
   * The shard as a remote owner serves it: each operation written as a {@link ShardCall} and sent through
   * {@code transport}; a long poll's reply may take its wait plus {@code replyMs}.
   */
  public static final class Client implements Shard {

    private final int shard;
    private final Transport transport;
    private final long replyMs;

    public Client(int shard, Transport transport, long replyMs) {
      this.shard = shard;
      this.transport = transport;
      this.replyMs = replyMs;
    }

    private <R> Future<R> call(String operation, JsonObject arguments, Function<ShardReply, R> result) {
      return call(operation, arguments, 0, result);
    }

    private <R> Future<R> call(String operation, JsonObject arguments, long waitMs,
        Function<ShardReply, R> result) {
      return transport.send(new ShardCall(shard, operation, arguments), waitMs + replyMs).map(result);
    }

    @Override
    public Future<PublishResult> publish(Publication publication) {
      return call("publish", new JsonObject().put("publication", publication(publication)),
          r -> publishResult(r.result().getJsonObject(VALUE)));
    }

    @Override
    public Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize,
        Integer visibilityTimeoutMs, int waitMs) {
      return call("pull", queue(accountId, queueId).put("batchSize", batchSize)
              .put("visibilityTimeoutMs", visibilityTimeoutMs).put("waitMs", waitMs), waitMs,
          r -> LeaseBatch.fromJson(object(r)));
    }

    @Override
    public Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks,
        List<RetryRequest> retries) {
      JsonArray retryArray = new JsonArray();
      retries.forEach(retry -> retryArray.add(retry.toJson()));
      return call("ackPulled", queue(accountId, queueId).put("acks", new JsonArray(new ArrayList<>(acks)))
          .put("retries", retryArray), r -> AckResult.fromJson(object(r)));
    }

    @Override
    public Future<LeaseBatch> lease(LeaseRequest request) {
      return call("lease", request.toJson(), request.waitMs(), r -> LeaseBatch.fromJson(object(r)));
    }

    @Override
    public Future<AckResult> ack(AckRequest request) {
      return call("ack", request.toJson(), r -> AckResult.fromJson(object(r)));
    }

    @Override
    public Future<SubscriptionStats> subscriptionStats(SubscriptionRef ref) {
      return call("subscriptionStats", ref.toJson(), r -> SubscriptionStats.fromJson(object(r)));
    }

    @Override
    public Future<RedeliverResult> redeliver(RedeliverRequest request) {
      return call("redeliver", request.toJson(), r -> RedeliverResult.fromJson(object(r)));
    }

    @Override
    public Future<HistoryPage> history(HistoryRequest request) {
      return call("history", request.toJson(), r -> HistoryPage.fromJson(object(r)));
    }

    @Override
    public Future<List<QueueHistory.Point>> history(String accountId, String queueId, int minutes) {
      return call("historyPoints", queue(accountId, queueId).put("minutes", minutes),
          r -> list(values(r), ShardCalls::point));
    }

    @Override
    public Future<QueueMetrics> metrics(String accountId, String queueId) {
      return call("metrics", queue(accountId, queueId), r -> QueueMetrics.fromJson(object(r)));
    }

    @Override
    public Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize) {
      return call("peek", queue(accountId, queueId).put("batchSize", batchSize),
          r -> list(values(r), ShardCalls::peeked));
    }

    @Override
    public Future<List<MessageSummary>> listMessages(String accountId, String queueId, String startAfter,
        int limit) {
      return call("listMessages", queue(accountId, queueId).put("startAfter", startAfter).put("limit", limit),
          r -> list(values(r), ShardCalls::summary));
    }

    @Override
    public Future<List<String>> queueIdsOf(String accountId) {
      return call("queueIdsOf", new JsonObject().put("accountId", accountId), r -> strings(values(r)));
    }

    @Override
    public Future<StoredMessage> message(String accountId, String queueId, String messageId) {
      return call("message", queue(accountId, queueId).put("messageId", messageId),
          r -> StoredMessage.fromJson(object(r)));
    }

    @Override
    public Future<StoredMessage> deleteMessage(String accountId, String queueId, String messageId) {
      return call("deleteMessage", queue(accountId, queueId).put("messageId", messageId),
          r -> StoredMessage.fromJson(object(r)));
    }

    @Override
    public Future<List<String>> deleteMessages(String accountId, String queueId, List<String> messageIds) {
      return call("deleteMessages", queue(accountId, queueId)
          .put("messageIds", new JsonArray(new ArrayList<>(messageIds))), r -> strings(values(r)));
    }

    @Override
    public Future<Void> deleteByKey(String queueId, String key) {
      return call("deleteByKey", new JsonObject().put("queueId", queueId).put("key", key), r -> null);
    }

    @Override
    public Future<PurgeStatus> purge(String accountId, String queueId) {
      return call("purge", queue(accountId, queueId), r -> PurgeStatus.fromJson(object(r)));
    }

    @Override
    public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
      return call("purgeStatus", queue(accountId, queueId), r -> PurgeStatus.fromJson(object(r)));
    }

    @Override
    public Future<Void> upsertQueue(QueueInfo queue) {
      return call("upsertQueue", queue.toJson(), r -> null);
    }

    @Override
    public Future<Void> deleteQueue(String queueId) {
      return call("deleteQueue", new JsonObject().put("queueId", queueId), r -> null);
    }

    @Override
    public Future<Void> upsertSubscription(SubscriptionSpec spec) {
      return call("upsertSubscription", spec.toJson(), r -> null);
    }

    @Override
    public Future<Void> deleteSubscription(String subscriptionId) {
      return call("deleteSubscription", new JsonObject().put("subscriptionId", subscriptionId), r -> null);
    }

    @Override
    public Future<String> appendDeadLetterCopy(String queueId, NewMessage message) {
      return call("appendDeadLetterCopy", new JsonObject().put("queueId", queueId)
          .put("message", newMessage(message)), r -> r.result().getString(VALUE));
    }
  }

  private static JsonObject queue(String accountId, String queueId) {
    return new JsonObject().put("accountId", accountId).put("queueId", queueId);
  }

  private static ShardReply reply(Object value) {
    return new ShardReply(new JsonObject().put(VALUE, value));
  }

  private static ShardReply empty() {
    return new ShardReply(new JsonObject());
  }

  private static JsonObject object(ShardReply reply) {
    return reply.result().getJsonObject(VALUE);
  }

  private static JsonArray values(ShardReply reply) {
    return reply.result().getJsonArray(VALUE);
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> writer) {
    JsonArray array = new JsonArray(new ArrayList<>(items.size()));
    items.forEach(item -> array.add(writer.apply(item)));
    return array;
  }

  private static <T> List<T> list(JsonArray array, Function<JsonObject, T> reader) {
    List<T> items = new ArrayList<>(array == null ? 0 : array.size());
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        items.add(reader.apply(array.getJsonObject(i)));
      }
    }
    return items;
  }

  private static List<String> strings(JsonArray array) {
    List<String> items = new ArrayList<>(array == null ? 0 : array.size());
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        items.add(array.getString(i));
      }
    }
    return items;
  }

  static JsonObject publication(Publication publication) {
    return new JsonObject().put("accountId", publication.accountId()).put("queueId", publication.queueId())
        .put("queueName", publication.queueName())
        .put("messages", array(publication.messages(), ShardCalls::newMessage))
        .put("delaySeconds", publication.delaySeconds()).put("sequence", publication.sequence());
  }

  static Publication publication(JsonObject json) {
    return new Publication(json.getString("accountId"), json.getString("queueId"), json.getString("queueName"),
        list(json.getJsonArray("messages"), ShardCalls::newMessage), json.getInteger("delaySeconds"),
        json.getLong("sequence"));
  }

  static JsonObject newMessage(NewMessage message) {
    return new JsonObject().put("key", message.key()).put("contentType", message.contentType().wireName())
        .put("body", message.body()).put("delaySeconds", message.delaySeconds());
  }

  static NewMessage newMessage(JsonObject json) {
    return new NewMessage(json.getString("key"), ContentType.fromWire(json.getString("contentType")),
        json.getBinary("body"), json.getInteger("delaySeconds"));
  }

  private static JsonObject publishResult(PublishResult result) {
    return new JsonObject().put("messages", array(result.messages(), StoredMessage::toJson))
        .put("metrics", result.metrics().toJson());
  }

  private static PublishResult publishResult(JsonObject json) {
    return new PublishResult(list(json.getJsonArray("messages"), StoredMessage::fromJson),
        QueueMetrics.fromJson(json.getJsonObject("metrics")));
  }

  private static JsonObject peeked(PeekedMessage peeked) {
    return new JsonObject().put("message", peeked.message().toJson()).put("attempts", peeked.attempts());
  }

  private static PeekedMessage peeked(JsonObject json) {
    return new PeekedMessage(StoredMessage.fromJson(json.getJsonObject("message")), json.getInteger("attempts"));
  }

  private static JsonObject summary(MessageSummary summary) {
    return new JsonObject().put("queueId", summary.queueId()).put("id", summary.id()).put("key", summary.key());
  }

  private static MessageSummary summary(JsonObject json) {
    return new MessageSummary(json.getString("queueId"), json.getString("id"), json.getString("key"));
  }

  private static JsonObject point(QueueHistory.Point point) {
    return new JsonObject().put("timestampMs", point.timestampMs()).put("backlogCount", point.backlogCount())
        .put("backlogBytes", point.backlogBytes()).put("leasedCount", point.leasedCount())
        .put("pushed", point.pushed()).put("acked", point.acked()).put("deadLettered", point.deadLettered());
  }

  private static QueueHistory.Point point(JsonObject json) {
    return new QueueHistory.Point(json.getLong("timestampMs"), json.getLong("backlogCount"),
        json.getLong("backlogBytes"), json.getLong("leasedCount"), json.getLong("pushed"), json.getLong("acked"),
        json.getLong("deadLettered"));
  }
}

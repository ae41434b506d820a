package io.ferry.messaging.api;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.NewMessage;
import io.ferry.messaging.core.Publication;
import io.ferry.messaging.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The engine's event-bus API: topology, purge and delete commands from admin-service, leases, acks,
 * history, publishing, subscription stats and redelivery of missed messages for the other services. Each
 * handler only checks that a request came and hands it to the engine. Registered from the engine's
 * context, so requests arrive on the engine's thread.
 */
public final class MessagingBusApi {

  private MessagingBusApi() {
  }

  /** Serves every messaging address; completes once the registrations reached the cluster. */
  public static Future<Void> register(Vertx vertx, MessagingEngine engine, MessageStore store) {
    List<Future<?>> registrations = List.of(
        Bus.serve(vertx, Endpoints.MESSAGING_QUEUE_UPSERT,
            required("queue", queue -> engine.upsertQueue(queue).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_QUEUE_DELETE,
            required("queue", ref -> engine.deleteQueue(ref.id()).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_SUBSCRIPTION_UPSERT,
            required("subscription", spec -> engine.upsertSubscription(spec).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_SUBSCRIPTION_DELETE,
            required("subscription", ref -> engine.deleteSubscription(ref.id()).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_LEASE, required("lease", engine::lease)),
        Bus.serve(vertx, Endpoints.MESSAGING_ACK, required("ack", engine::ack)),
        Bus.serve(vertx, Endpoints.MESSAGING_HISTORY,
            required("history", engine::history)),
        Bus.serve(vertx, Endpoints.MESSAGING_QUEUE_PURGE,
            required("queue", ref -> engine.purge(ref.accountId(), ref.id()))),
        Bus.serve(vertx, Endpoints.MESSAGING_PURGE_STATUS,
            required("queue", ref -> engine.purgeStatus(ref.accountId(), ref.id()))),
        Bus.serve(vertx, Endpoints.MESSAGING_DELETE_BY_KEY, required("key", ref -> ref.key() == null
            ? Future.failedFuture(FerryException.invalidField("key", "is required"))
            : engine.deleteByKey(ref.queueId(), ref.key()).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_PUBLISH,
            required("publish", request -> engine.publish(jsonPublication(request)).map(Ack.INSTANCE))),
        Bus.serve(vertx, Endpoints.MESSAGING_SUBSCRIPTION_STATS,
            required("subscription", engine::subscriptionStats)),
        Bus.serve(vertx, Endpoints.MESSAGING_REDELIVER,
            required("redeliver", engine::redeliver)),
        // Admin asks for it while taking a backup (docs/operations.md); the store does it off the event loop.
        Bus.serve(vertx, Endpoints.MESSAGING_CHECKPOINT, required("checkpoint", request -> request.directory() == null
            ? Future.failedFuture(FerryException.invalidField("directory", "is required"))
            : store.checkpoint(Path.of(request.directory())))));
    return Future.all(registrations).mapEmpty();
  }

  // Ferry's own messages (events): JSON values without a key, through the normal durable append. No
  // account: an internal caller may reach any queue, and no queue schema applies to them.
  private static Publication jsonPublication(PublishRequest request) {
    List<NewMessage> messages = request.jsonBodies().stream()
        .map(body -> new NewMessage(null, ContentType.JSON, Json.encodeToBuffer(body).getBytes(), null))
        .toList();
    return Publication.toQueue(null, request.queueId(), messages, null);
  }

  private static <T, R> Function<T, Future<R>> required(String what, Function<T, Future<R>> handler) {
    return payload -> payload == null
        ? Future.failedFuture(FerryException.invalidField(what, "request body is required"))
        : handler.apply(payload);
  }
}

package io.ferry.admin.store;

import static io.ferry.admin.store.PgAccess.CREATION_ORDER;

import io.ferry.admin.model.EventSubscription;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;

// Event subscriptions in PostgreSQL: a foreign key on (destination queue, account) keeps the destination a
// queue of the same account, and a unique index keeps one subscription per account, source and destination.
final class PgEventSubscriptionRecords implements EventSubscriptionRecords {

  private static final String DESTINATION_FKEY = "admin_event_subscriptions_destination_fkey";
  private static final String SOURCE_KEY = "admin_event_subscriptions_source_key";

  private final PgAccess db;

  PgEventSubscriptionRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> insertEventSubscription(EventSubscription subscription) {
    return db.run("storing an event subscription", pool -> pool
        .preparedQuery("INSERT INTO admin_event_subscriptions (id, account_id, source_type, destination_queue_id, "
            + "created_at_ms, doc) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(row(subscription))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(explain(failure, subscription))));
  }

  @Override
  public Future<Void> updateEventSubscription(EventSubscription subscription) {
    return db.run("updating an event subscription", pool -> pool
        .preparedQuery("UPDATE admin_event_subscriptions SET account_id = $2, source_type = $3, "
            + "destination_queue_id = $4, created_at_ms = $5, doc = $6 WHERE id = $1")
        .execute(row(subscription))
        .recover(failure -> Future.failedFuture(explain(failure, subscription)))
        .compose(updated -> updated.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(PgAccess.notFound("event subscription", subscription.id()))));
  }

  @Override
  public Future<Void> deleteEventSubscription(String subscriptionId) {
    return db.execute("deleting an event subscription", "DELETE FROM admin_event_subscriptions WHERE id = $1",
        Tuple.of(subscriptionId)).mapEmpty();
  }

  @Override
  public Future<EventSubscription> eventSubscription(String subscriptionId) {
    return db.one("reading an event subscription", "SELECT doc FROM admin_event_subscriptions WHERE id = $1",
        Tuple.of(subscriptionId)).map(doc -> doc == null ? null : EventSubscription.fromJson(doc));
  }

  @Override
  public Future<List<EventSubscription>> eventSubscriptions(String accountId) {
    return db.list("listing event subscriptions",
        "SELECT doc FROM admin_event_subscriptions WHERE account_id = $1" + CREATION_ORDER, Tuple.of(accountId),
        EventSubscription::fromJson);
  }

  private static Tuple row(EventSubscription subscription) {
    return Tuple.of(subscription.id(), subscription.accountId(), subscription.sourceType(),
        subscription.destinationQueueId(), subscription.createdAtMs(), subscription.toJson().encode());
  }

  private static Throwable explain(Throwable failure, EventSubscription subscription) {
    if (PgAccess.violated(failure, DESTINATION_FKEY)) {
      return new FerryException(ErrorCode.QUEUE_NOT_FOUND,
          "queue " + subscription.destinationQueueId() + " not found", "destination.queue_id");
    }
    return PgAccess.violated(failure, SOURCE_KEY)
        ? new FerryException(ErrorCode.METHOD_NOT_ALLOWED, "an event subscription with source "
            + subscription.sourceType() + " and destination queue " + subscription.destinationQueueId()
            + " already exists; multiple subscriptions on the same resource are not supported")
        : failure;
  }
}

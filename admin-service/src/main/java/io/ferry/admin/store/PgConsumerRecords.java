package io.ferry.admin.store;

import static io.ferry.admin.store.PgAccess.CREATION_ORDER;

import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;

// Queue consumers in PostgreSQL: the foreign key to the queue and the unique (queue, type) index are the
// checks, so concurrent creates on several admin instances leave at most one consumer of a type.
final class PgConsumerRecords implements ConsumerRecords {

  private static final String QUEUE_FKEY = "admin_consumers_queue_fkey";
  private static final String TYPE_KEY = "admin_consumers_type_key";
  private static final String ID_KEY = "admin_consumers_pkey";

  private final PgAccess db;

  PgConsumerRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> insertConsumer(QueueConsumer consumer) {
    // Ids are never reused: a client-chosen id (Cloudflare's PUT) must not be another consumer's (the primary
    // key) or a listener's (checked in the same statement).
    return db.run("storing a consumer", pool -> pool
        .preparedQuery("INSERT INTO admin_consumers (id, queue_id, type, created_at_ms, doc) "
            + "SELECT $1::text, $2::text, $3::text, $4::bigint, $5::text "
            + "WHERE NOT EXISTS (SELECT 1 FROM admin_listeners WHERE id = $1::text)")
        .execute(row(consumer))
        .recover(failure -> Future.failedFuture(explain(failure, consumer)))
        .compose(inserted -> inserted.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(idTaken(consumer))));
  }

  @Override
  public Future<Void> updateConsumer(QueueConsumer consumer) {
    return db.run("updating a consumer", pool -> pool
        .preparedQuery("UPDATE admin_consumers SET queue_id = $2, type = $3, created_at_ms = $4, doc = $5 "
            + "WHERE id = $1")
        .execute(row(consumer))
        .recover(failure -> Future.failedFuture(explain(failure, consumer)))
        .compose(updated -> updated.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(PgAccess.notFound("consumer", consumer.id()))));
  }

  @Override
  public Future<Void> deleteConsumer(String consumerId) {
    return db.execute("deleting a consumer", "DELETE FROM admin_consumers WHERE id = $1", Tuple.of(consumerId))
        .mapEmpty();
  }

  @Override
  public Future<QueueConsumer> consumer(String consumerId) {
    return db.one("reading a consumer", "SELECT doc FROM admin_consumers WHERE id = $1", Tuple.of(consumerId))
        .map(doc -> doc == null ? null : QueueConsumer.fromJson(doc));
  }

  @Override
  public Future<List<QueueConsumer>> consumers(String queueId) {
    return db.list("listing consumers", "SELECT doc FROM admin_consumers WHERE queue_id = $1" + CREATION_ORDER,
        Tuple.of(queueId), QueueConsumer::fromJson);
  }

  @Override
  public Future<List<QueueConsumer>> allConsumers() {
    return db.list("listing consumers", "SELECT doc FROM admin_consumers" + CREATION_ORDER, Tuple.tuple(),
        QueueConsumer::fromJson);
  }

  private static Tuple row(QueueConsumer consumer) {
    return Tuple.of(consumer.id(), consumer.queueId(), consumer.type(), consumer.createdAtMs(),
        consumer.toJson().encode());
  }

  private static Throwable explain(Throwable failure, QueueConsumer consumer) {
    if (PgAccess.violated(failure, QUEUE_FKEY)) {
      return new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + consumer.queueId() + " not found");
    }
    if (PgAccess.violated(failure, TYPE_KEY)) {
      return new FerryException(ErrorCode.CONSUMER_CONFLICT,
          "the queue already has an " + consumer.type() + " consumer; a queue has at most one");
    }
    return PgAccess.violated(failure, ID_KEY) ? idTaken(consumer) : failure;
  }

  private static FerryException idTaken(QueueConsumer consumer) {
    return new FerryException(ErrorCode.NOT_FOUND, "consumer " + consumer.id() + " not found", "consumer_id");
  }
}

package io.ferry.admin.store;

import static io.ferry.admin.store.PgAccess.CREATION_ORDER;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;

// Queues in PostgreSQL. Names are unique per account by a unique index; deleting a queue deletes its consumers,
// listeners and the event subscriptions into it through ON DELETE CASCADE, in the one statement.
final class PgQueueRecords implements QueueRecords {

  private static final String NAME_KEY = "admin_queues_name_key";

  private final PgAccess db;

  PgQueueRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> insertQueue(QueueInfo queue) {
    return db.run("storing a queue", pool -> pool
        .preparedQuery("INSERT INTO admin_queues (id, account_id, name, created_at_ms, doc) "
            + "VALUES ($1, $2, $3, $4, $5)")
        .execute(row(queue))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(explain(failure, queue))));
  }

  @Override
  public Future<Void> updateQueue(QueueInfo queue) {
    return db.run("updating a queue", pool -> pool
        .preparedQuery("UPDATE admin_queues SET account_id = $2, name = $3, created_at_ms = $4, doc = $5 "
            + "WHERE id = $1")
        .execute(row(queue))
        .recover(failure -> Future.failedFuture(explain(failure, queue)))
        .compose(updated -> updated.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
                "queue " + queue.id() + " not found"))));
  }

  @Override
  public Future<Void> deleteQueue(String queueId) {
    return db.execute("deleting a queue", "DELETE FROM admin_queues WHERE id = $1", Tuple.of(queueId)).mapEmpty();
  }

  @Override
  public Future<QueueInfo> queue(String queueId) {
    return db.one("reading a queue", "SELECT doc FROM admin_queues WHERE id = $1", Tuple.of(queueId))
        .map(doc -> doc == null ? null : QueueInfo.fromJson(doc));
  }

  @Override
  public Future<QueueInfo> queueByName(String accountId, String name) {
    return db.one("reading a queue", "SELECT doc FROM admin_queues WHERE account_id = $1 AND name = $2",
        Tuple.of(accountId, name)).map(doc -> doc == null ? null : QueueInfo.fromJson(doc));
  }

  @Override
  public Future<List<QueueInfo>> queues(String accountId) {
    return db.list("listing queues", "SELECT doc FROM admin_queues WHERE account_id = $1" + CREATION_ORDER,
        Tuple.of(accountId), QueueInfo::fromJson);
  }

  @Override
  public Future<List<QueueInfo>> allQueues() {
    return db.list("listing queues", "SELECT doc FROM admin_queues" + CREATION_ORDER, Tuple.tuple(),
        QueueInfo::fromJson);
  }

  private static Tuple row(QueueInfo queue) {
    return Tuple.of(queue.id(), queue.accountId(), queue.name(), queue.createdAtMs(), queue.toJson().encode());
  }

  private static Throwable explain(Throwable failure, QueueInfo queue) {
    return PgAccess.violated(failure, NAME_KEY)
        ? new FerryException(ErrorCode.NAME_TAKEN, "a queue named '" + queue.name() + "' already exists",
            "queue_name")
        : failure;
  }
}

package io.ferry.admin.store;

import static io.ferry.admin.store.PgAccess.CREATION_ORDER;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.UnaryOperator;

// Webhook listeners in PostgreSQL: the foreign key to the queue and the unique (queue, name) index are the
// checks; a change is read and written under the row's lock. The whsec_ secret is sealed in the stored record
// when a secrets key is set, as in RocksAdminStore.
final class PgListenerRecords implements ListenerRecords {

  private static final String QUEUE_FKEY = "admin_listeners_queue_fkey";
  private static final String NAME_KEY = "admin_listeners_name_key";

  private final PgAccess db;

  PgListenerRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> insertListener(Listener listener) {
    return db.run("storing a listener", pool -> pool
        .preparedQuery("INSERT INTO admin_listeners (id, account_id, queue_id, name, created_at_ms, doc) "
            + "VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(row(listener))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(explain(failure, listener))));
  }

  @Override
  public Future<Listener> updateListener(String listenerId, UnaryOperator<Listener> change) {
    return db.inTransaction("updating a listener", tx -> tx
        .preparedQuery("SELECT doc FROM admin_listeners WHERE id = $1 FOR UPDATE").execute(Tuple.of(listenerId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(PgAccess.notFound("listener", listenerId));
          }
          Listener current = decode(PgAccess.doc(rows.iterator().next()));
          Listener changed = change.apply(current);
          if (changed.equals(current)) {
            return Future.succeededFuture(changed);
          }
          return tx.preparedQuery("UPDATE admin_listeners SET account_id = $2, queue_id = $3, name = $4, "
                  + "created_at_ms = $5, doc = $6 WHERE id = $1")
              .execute(row(changed))
              .recover(failure -> Future.failedFuture(explain(failure, changed)))
              .map(changed);
        }));
  }

  @Override
  public Future<Void> deleteListener(String listenerId) {
    return db.execute("deleting a listener", "DELETE FROM admin_listeners WHERE id = $1", Tuple.of(listenerId))
        .mapEmpty();
  }

  @Override
  public Future<Listener> listener(String listenerId) {
    return db.one("reading a listener", "SELECT doc FROM admin_listeners WHERE id = $1", Tuple.of(listenerId))
        .map(doc -> doc == null ? null : decode(doc));
  }

  @Override
  public Future<List<Listener>> listeners(String queueId) {
    return db.list("listing listeners", "SELECT doc FROM admin_listeners WHERE queue_id = $1" + CREATION_ORDER,
        Tuple.of(queueId), this::decode);
  }

  @Override
  public Future<List<Listener>> accountListeners(String accountId) {
    return db.list("listing listeners", "SELECT doc FROM admin_listeners WHERE account_id = $1" + CREATION_ORDER,
        Tuple.of(accountId), this::decode);
  }

  @Override
  public Future<List<Listener>> allListeners() {
    return db.list("listing listeners", "SELECT doc FROM admin_listeners" + CREATION_ORDER, Tuple.tuple(),
        this::decode);
  }

  private Tuple row(Listener listener) {
    return Tuple.of(listener.id(), listener.accountId(), listener.queueId(), listener.name(),
        listener.createdAtMs(), encode(listener));
  }

  // The stored text: the listener's JSON with its secret sealed (when a key is set).
  String encode(Listener listener) {
    JsonObject doc = listener.toJson();
    if (db.seal.enabled() && listener.secret() != null) {
      doc.put("secret", db.seal.seal(listener.secret(), key(listener.id())));
    }
    return doc.encode();
  }

  private Listener decode(JsonObject doc) {
    String stored = doc.getString("secret");
    if (stored != null) {
      doc.put("secret", db.seal.open(stored, key(doc.getString("id"))));
    }
    return Listener.fromJson(doc);
  }

  static byte[] key(String listenerId) {
    return PgAccess.recordKey(RocksRecords.LISTENER, listenerId);
  }

  private static Throwable explain(Throwable failure, Listener listener) {
    if (PgAccess.violated(failure, QUEUE_FKEY)) {
      return new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + listener.queueId() + " not found");
    }
    return PgAccess.violated(failure, NAME_KEY)
        ? new FerryException(ErrorCode.NAME_TAKEN,
            "name: the queue already has a listener named '" + listener.name() + "'", "name")
        : failure;
  }
}

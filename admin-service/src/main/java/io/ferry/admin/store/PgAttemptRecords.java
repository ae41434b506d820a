package io.ferry.admin.store;

import io.ferry.admin.model.AttemptPage;
import io.ferry.contracts.model.WebhookAttempt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

// Attempt logs in PostgreSQL: rows numbered by one identity column (arrival order across listeners), read per
// listener newest first by (listener_id, seq). Appending trims each listener's log to its bound in the same
// transaction.
final class PgAttemptRecords implements AttemptRecords {

  private final PgAccess db;

  PgAttemptRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<Void> appendAttempts(List<WebhookAttempt> attempts, int keepPerListener) {
    // Listeners in one order on every instance, so that two appends cannot wait on each other's rows.
    Map<String, List<WebhookAttempt>> byListener = new TreeMap<>();
    attempts.forEach(a -> byListener.computeIfAbsent(a.listenerId(), l -> new ArrayList<>()).add(a));
    return db.inTransaction("appending to the attempt log", tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<String, List<WebhookAttempt>> log : byListener.entrySet()) {
        chain = chain.compose(v -> append(tx, log.getKey(), log.getValue(), keepPerListener));
      }
      return chain;
    });
  }

  private static Future<Void> append(SqlConnection tx, String listenerId, List<WebhookAttempt> attempts,
      int keep) {
    List<Tuple> rows = new ArrayList<>(attempts.size());
    for (WebhookAttempt attempt : attempts) {
      rows.add(Tuple.of(attempt.id(), listenerId, attempt.queueId(), attempt.messageId(),
          attempt.toJson().encode()));
    }
    return tx.preparedQuery("INSERT INTO admin_webhook_attempts (id, listener_id, queue_id, message_id, doc) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
        .executeBatch(rows)
        .compose(inserted -> tx.preparedQuery("DELETE FROM admin_webhook_attempts WHERE listener_id = $1 AND seq <= "
                + "(SELECT seq FROM admin_webhook_attempts WHERE listener_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)")
            .execute(Tuple.of(listenerId, keep)))
        .mapEmpty();
  }

  @Override
  public Future<AttemptPage> listenerAttempts(String listenerId, String startAfterId, int limit) {
    Future<Long> upper = startAfterId == null ? Future.succeededFuture(Long.MAX_VALUE)
        : db.execute("reading the attempt log",
            "SELECT seq FROM admin_webhook_attempts WHERE id = $1 AND listener_id = $2",
            Tuple.of(startAfterId, listenerId))
            .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    return upper.compose(seq -> seq == null ? Future.succeededFuture()
        : db.execute("reading the attempt log", "SELECT doc FROM admin_webhook_attempts "
                + "WHERE listener_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
                Tuple.of(listenerId, seq, limit + 1))
            .map(rows -> {
              List<WebhookAttempt> found = new ArrayList<>();
              for (Row row : rows) {
                found.add(WebhookAttempt.fromJson(new JsonObject(row.getString("doc"))));
              }
              if (found.size() <= limit) {
                return new AttemptPage(found, null);
              }
              List<WebhookAttempt> page = found.subList(0, limit);
              return new AttemptPage(page, page.get(limit - 1).id());
            }));
  }

  @Override
  public Future<List<WebhookAttempt>> messageAttempts(String queueId, String messageId, int limit) {
    return db.list("reading the attempt log", "SELECT doc FROM admin_webhook_attempts "
            + "WHERE queue_id = $1 AND message_id = $2", Tuple.of(queueId, messageId), WebhookAttempt::fromJson)
        .map(found -> {
          List<WebhookAttempt> sorted = new ArrayList<>(found);
          sorted.sort((a, b) -> Long.compare(b.timestampMs(), a.timestampMs()));
          return sorted.size() > limit ? new ArrayList<>(sorted.subList(0, limit)) : sorted;
        });
  }

  @Override
  public Future<Void> deleteListenerAttempts(String listenerId) {
    return db.execute("deleting an attempt log", "DELETE FROM admin_webhook_attempts WHERE listener_id = $1",
        Tuple.of(listenerId)).mapEmpty();
  }
}

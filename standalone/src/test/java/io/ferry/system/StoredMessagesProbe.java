package io.ferry.system;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PostgreSQL holds for messages a verdict calls lost (their row, each subscription's pending row, the entries
 * kept on the message row) and who leases which shard, so that a failed failover test tells a lost message from
 * one the engine forgot.
 */
final class StoredMessagesProbe {

  private static final Pattern KEY = Pattern.compile("\\{p:(\\d+),n:(\\d+)}");
  private static final String MESSAGE = "SELECT m.queue_id, m.sequence, m.available_at_ms, (SELECT string_agg("
      + "p.subscription_id || ' attempts=' || p.attempts || ' available_at_ms=' || p.available_at_ms"
      + " || ' missed=' || p.missed, '; ') FROM messaging_pending p WHERE p.sequence = m.sequence"
      + " AND p.subscription_id IN (SELECT subscription_id FROM messaging_subscriptions"
      + " WHERE record->>'queueId' = m.queue_id)), array_to_string(m.pending_for, ',') FROM messaging_messages m"
      + " WHERE m.body = convert_to($1, 'UTF8')";
  private static final String LEASES = "SELECT string_agg(shard || ':' || coalesce(owner, '-') || '@' || epoch,"
      + " ' ' ORDER BY shard) FROM messaging_shard_leases";

  private StoredMessagesProbe() {
  }

  /** One line per lost key found in {@code examples} (at most {@code limit}), then the leases. */
  static List<String> describe(Map<String, String> storage, List<String> examples, int limit) {
    List<String> lines = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      PgConnectOptions options = PgConnectOptions.fromUri(storage.get("FERRY_STORAGE_POSTGRES_URL"))
          .setPassword(storage.get("FERRY_STORAGE_POSTGRES_PASSWORD"))
          .addProperty("search_path", storage.get("FERRY_STORAGE_POSTGRES_SCHEMA"));
      PgConnection connection = PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      try {
        for (String example : examples) {
          if (!example.startsWith("lost") || lines.size() >= limit) {
            continue;
          }
          Matcher key = KEY.matcher(example);
          if (!key.find()) {
            continue;
          }
          String body = "{\"p\":" + key.group(1) + ",\"n\":" + key.group(2) + "}";
          var rows = connection.preparedQuery(MESSAGE).execute(Tuple.of(body)).toCompletionStage()
              .toCompletableFuture().get(10, TimeUnit.SECONDS);
          StringBuilder line = new StringBuilder(body).append(" stored:");
          for (Row row : rows) {
            line.append(" queue=").append(row.getString(0)).append(" seq=").append(row.getLong(1))
                .append(" available_at_ms=").append(row.getLong(2)).append(" pending=[").append(row.getString(3))
                .append("] pending_for=[").append(row.getString(4)).append(']');
          }
          if (rows.size() == 0) {
            line.append(" no message row");
          }
          lines.add(line.toString());
        }
        var leases = connection.query(LEASES).execute().toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        lines.add("leases " + leases.iterator().next().getString(0) + " now_ms=" + System.currentTimeMillis());
      } finally {
        connection.close();
      }
    } catch (Exception e) {
      lines.add("probe failed: " + e);
    } finally {
      vertx.close();
    }
    return lines;
  }
}

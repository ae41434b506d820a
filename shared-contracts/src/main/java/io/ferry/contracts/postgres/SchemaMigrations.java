package io.ferry.contracts.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a service's tables to the version this build expects, at start. Migrations are SQL files on the
 * class path, {@code db/<service>/V1.sql}, {@code V2.sql}, ... (numbered without gaps, never edited once
 * released); {@code <service>_schema_version} records which ran. Everything happens in one transaction holding
 * a transaction-scoped advisory lock, so instances starting together apply each migration exactly once and
 * the others wait and then see it done; a failed migration leaves nothing behind. A database written by a
 * newer build (a version this one does not know) is refused, as a RocksDB store in a newer format is.
 */
public final class SchemaMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  private SchemaMigrations() {
  }

  /** One migration: its version and its SQL (several statements allowed). */
  public record Migration(int version, String sql) {
  }

  /** The migrations of {@code service} on the class path, in order. */
  public static List<Migration> onClassPath(String service) {
    List<Migration> migrations = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "db/" + service + "/V" + version + ".sql";
      try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          return List.copyOf(migrations);
        }
        migrations.add(new Migration(version, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read migration " + resource, e);
      }
    }
  }

  /**
   * Applies the migrations of {@code service} that {@code schema} lacks; succeeds with the version the schema
   * is at afterwards.
   */
  public static Future<Integer> apply(Pool pool, String schema, String service) {
    return apply(pool, schema, service, onClassPath(service));
  }

  static Future<Integer> apply(Pool pool, String schema, String service, List<Migration> migrations) {
    String versionTable = schema + "." + service + "_schema_version";
    return pool.withTransaction(connection -> connection
        // One lock per schema and service, taken before anything else, even the schema's creation.
        .preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .execute(Tuple.of("ferry-migrations:" + schema + ":" + service))
        .compose(locked -> connection.query("CREATE SCHEMA IF NOT EXISTS " + schema
            + "; CREATE TABLE IF NOT EXISTS " + versionTable + " (version integer PRIMARY KEY, "
            + "applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(created -> connection.query("SELECT coalesce(max(version), 0) FROM " + versionTable).execute())
        .compose(rows -> {
          int current = rows.iterator().next().getInteger(0);
          int newest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
          if (current > newest) {
            return Future.failedFuture(new IllegalStateException("the " + service + " tables in schema " + schema
                + " are at version " + current + ", written by a newer Ferry; this build knows up to " + newest
                + ". Run the newer build, or restore a backup taken before the upgrade."));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Migration migration : migrations) {
            if (migration.version() > current) {
              chain = chain.compose(v -> run(connection, schema, versionTable, service, migration));
            }
          }
          return chain.map(v -> Math.max(current, newest));
        }));
  }

  private static Future<Void> run(SqlConnection connection, String schema, String versionTable, String service,
      Migration migration) {
    LOG.info("applying {} schema migration V{} in schema {}", service, migration.version(), schema);
    // The files name tables unqualified: they land in the session's search_path, the configured schema.
    return connection.query("SET LOCAL search_path TO " + schema).execute()
        .compose(set -> connection.query(migration.sql()).execute())
        .compose(done -> connection.preparedQuery("INSERT INTO " + versionTable + " (version) VALUES ($1)")
            .execute(Tuple.of(migration.version())))
        .mapEmpty();
  }

  /** The version {@code schema} is at for {@code service} (0: never migrated). */
  public static Future<Integer> currentVersion(Pool pool, String schema, String service) {
    return pool.query("SELECT coalesce(max(version), 0) FROM " + schema + "." + service + "_schema_version")
        .execute().map(rows -> {
          Row row = rows.iterator().next();
          return row.getInteger(0);
        });
  }
}

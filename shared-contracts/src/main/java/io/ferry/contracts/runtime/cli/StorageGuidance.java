package io.ferry.contracts.runtime.cli;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.config.StorageConfig;
import java.nio.file.Path;
import java.util.Map;

/** The storage settings backup and restore act on, and what to do instead when the data is in PostgreSQL. */
final class StorageGuidance {

  private StorageGuidance() {
  }

  /** The effective storage configuration (file and environment); exit code 2 when it is invalid. */
  static StorageConfig read(Path configFile, Map<String, String> env) {
    try {
      return StorageConfig.from(ConfigReader.load(configFile, env));
    } catch (ConfigException e) {
      throw new CliFailure(CliFailure.INVALID, e.getMessage());
    }
  }

  // PostgreSQL backs up a schema consistently by itself; Ferry has nothing to add but the right names. The
  // password is never printed: pg_dump reads PGPASSWORD or ~/.pgpass.
  static CliFailure backupWithPgDump(PostgresConfig pg) {
    return new CliFailure(CliFailure.INVALID, "storage.kind is postgres: back up schema " + pg.schema()
        + " with PostgreSQL's tools (docs/storage.md, \"Backup and restore\"), e.g.\n  pg_dump --format=custom "
        + "--schema=" + pg.schema() + " --file=ferry-$(date +%F).dump \"" + url(pg) + "\"");
  }

  static CliFailure restoreWithPgRestore(PostgresConfig pg) {
    return new CliFailure(CliFailure.INVALID, "storage.kind is postgres: restore schema " + pg.schema()
        + " with PostgreSQL's tools (docs/storage.md, \"Backup and restore\"): stop Ferry, drop or empty the "
        + "schema, then e.g.\n  pg_restore --dbname=\"" + url(pg) + "\" --single-transaction ferry-DATE.dump");
  }

  private static String url(PostgresConfig pg) {
    return "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + "/" + pg.database();
  }
}

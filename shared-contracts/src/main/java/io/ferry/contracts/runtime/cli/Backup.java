package io.ferry.contracts.runtime.cli;

import io.ferry.contracts.config.StorageConfig;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Takes a consistent online backup of a running Ferry's embedded stores (RocksDB checkpoints "
        + "of admin and messaging, plus manifest.json) into <data-dir>/backups/NAME on the server; needs a root "
        + "key. Copy that directory off the machine afterwards.",
        "With storage.kind=postgres it prints the pg_dump command for the configured schema and exits 2.",
        "Exit codes: 0 done, 1 server or network failure, 2 invalid name / name taken / PostgreSQL, "
            + "4 key missing, wrong or not root."})
final class Backup extends OperatorCommand {

  @Parameters(arity = "0..1", paramLabel = "NAME",
      description = "directory name under the backup root (default: ferry-<UTC time>)")
  String name;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration file (for storage.kind)")
  Path config;

  Backup(CliContext context) {
    super(context);
  }

  @Override
  void run(FerryClient client, PrintWriter out) {
    StorageConfig storage = StorageGuidance.read(config, env());
    if (storage.kind() == StorageConfig.Kind.POSTGRES) {
      throw StorageGuidance.backupWithPgDump(storage.postgres());
    }
    JsonObject request = name == null ? new JsonObject() : new JsonObject().put("name", name);
    JsonObject backup;
    try {
      backup = FerryClient.object(client.post("/v1/backups", request));
    } catch (CliFailure e) {
      // The server refused the request itself (bad or taken name, stores in PostgreSQL): the caller must change it.
      if (e.getMessage().matches("^(400|409|422) .*")) {
        throw new CliFailure(CliFailure.INVALID, e.getMessage());
      }
      throw e;
    }
    if (json()) {
      printJson(out, backup);
      return;
    }
    out.println("backup " + backup.getString("name") + " written to " + backup.getString("path") + " ("
        + backup.getLong("bytes") + " bytes)");
    for (Object each : backup.getJsonArray("stores")) {
      JsonObject store = (JsonObject) each;
      out.println("  " + store.getString("store") + ": store format " + store.getInteger("format") + ", "
          + store.getInteger("files") + " files, " + store.getLong("bytes") + " bytes");
    }
  }
}

package io.ferry.contracts.runtime.backup;

import io.ferry.contracts.model.StoreCheckpoint;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a backup directory holds, written last into {@link #FILE} so that a directory without it is an
 * incomplete backup: one checkpoint per store ({@code admin/}, {@code messaging/}), each with its store format.
 */
public record BackupManifest(String name, String createdAt, String ferryVersion, List<StoreCheckpoint> stores) {

  public static final String FILE = "manifest.json";

  public BackupManifest {
    stores = List.copyOf(stores);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    stores.forEach(store -> list.add(store.toJson()));
    return new JsonObject().put("name", name).put("created_at", createdAt).put("ferry_version", ferryVersion)
        .put("stores", list);
  }

  /** Writes the manifest into the backup directory (blocking). */
  public void write(Path backupDir) throws IOException {
    Files.writeString(backupDir.resolve(FILE), toJson().encodePrettily(), StandardCharsets.UTF_8);
  }

  /** Reads the manifest of a backup directory (blocking); fails when it is missing or unreadable. */
  public static BackupManifest read(Path backupDir) throws IOException {
    Path file = backupDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(backupDir + " is not a complete Ferry backup: it has no " + FILE);
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      List<StoreCheckpoint> stores = json.getJsonArray("stores").stream()
          .map(store -> StoreCheckpoint.fromJson((JsonObject) store)).toList();
      return new BackupManifest(json.getString("name"), json.getString("created_at"),
          json.getString("ferry_version"), stores);
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new IOException(file + " is not a Ferry backup manifest: " + e.getMessage());
    }
  }
}

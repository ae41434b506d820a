package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * A checkpoint of one service's store: where it is, the store format it was written in, and its size.
 *
 * @param store the service whose store it is ({@code admin}, {@code messaging})
 * @param directory absolute path of the checkpoint
 * @param format the store-format version (see {@code StoreFormat})
 * @param bytes total size of its files
 * @param files number of files
 */
public record StoreCheckpoint(String store, String directory, int format, long bytes, int files)
    implements BusPayload {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("store", store).put("directory", directory).put("format", format)
        .put("bytes", bytes).put("files", files);
  }

  public static StoreCheckpoint fromJson(JsonObject json) {
    return new StoreCheckpoint(json.getString("store"), json.getString("directory"), json.getInteger("format"),
        json.getLong("bytes"), json.getInteger("files"));
  }
}

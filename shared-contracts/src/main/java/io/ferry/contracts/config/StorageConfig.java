package io.ferry.contracts.config;

import java.nio.file.Path;

/** Where a service keeps its data: embedded RocksDB under {@code dataDir}/{service}. */
public record StorageConfig(Kind kind, Path dataDir) {

  /** Storage engine. PostgreSQL joins this list when its store implementations land. */
  public enum Kind { ROCKSDB }

  public static StorageConfig from(ConfigReader r) {
    return new StorageConfig(r.enumValue("storage.kind", Kind.class, Kind.ROCKSDB),
        r.path("storage.data-dir", "./data"));
  }

  /** The directory owned by one service. */
  public Path serviceDir(String service) {
    return dataDir.resolve(service);
  }
}

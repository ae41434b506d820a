package io.ferry.contracts.config;

import java.nio.file.Path;

/**
 * Where a service keeps its data: embedded RocksDB under {@code dataDir}/{service}.
 *
 * @param secretsKey seals the secrets admin stores (token secret, listeners' {@code whsec_} secrets) with
 *     AES-256-GCM; {@code null}: they are stored in clear, protected by file permissions only
 */
public record StorageConfig(Kind kind, Path dataDir, String secretsKey) {

  /** Storage engine. PostgreSQL joins this list when its store implementations land. */
  public enum Kind { ROCKSDB }

  public StorageConfig(Kind kind, Path dataDir) {
    this(kind, dataDir, null);
  }

  public static StorageConfig from(ConfigReader r) {
    String secretsKey = r.string("storage.secrets-key", null);
    if (secretsKey != null && secretsKey.length() < 32) {
      throw new ConfigException("invalid configuration: storage.secrets-key (FERRY_STORAGE_SECRETS_KEY) "
          + "must be at least 32 characters");
    }
    return new StorageConfig(r.enumValue("storage.kind", Kind.class, Kind.ROCKSDB),
        r.path("storage.data-dir", "./data"), secretsKey);
  }

  /** The directory owned by one service. */
  public Path serviceDir(String service) {
    return dataDir.resolve(service);
  }

  // A config record may be logged: the key must not be.
  @Override
  public String toString() {
    return "StorageConfig[kind=" + kind + ", dataDir=" + dataDir + ", secretsKey="
        + (secretsKey == null ? "none" : "***") + "]";
  }
}

package io.ferry.contracts.config;

import java.nio.file.Path;

/**
 * Where a service keeps its data: embedded RocksDB under {@code dataDir}/{service}, or a PostgreSQL database
 * several instances share ({@code storage.kind=postgres}).
 *
 * @param secretsKey seals the secrets admin stores (token secret, listeners' {@code whsec_} secrets) with
 *     AES-256-GCM; {@code null}: they are stored in clear, protected by file permissions only
 */
public record StorageConfig(Kind kind, Path dataDir, String secretsKey, PostgresConfig postgres) {

  /** Storage engine. */
  public enum Kind { ROCKSDB, POSTGRES }

  public StorageConfig(Kind kind, Path dataDir) {
    this(kind, dataDir, null, null);
  }

  public StorageConfig(Kind kind, Path dataDir, String secretsKey) {
    this(kind, dataDir, secretsKey, null);
  }

  /** PostgreSQL storage with the given connection settings. */
  public static StorageConfig postgres(PostgresConfig postgres, String secretsKey) {
    return new StorageConfig(Kind.POSTGRES, Path.of("./data"), secretsKey, postgres);
  }

  public static StorageConfig from(ConfigReader r) {
    String secretsKey = r.string("storage.secrets-key", null);
    if (secretsKey != null && secretsKey.length() < 32) {
      throw new ConfigException("invalid configuration: storage.secrets-key (FERRY_STORAGE_SECRETS_KEY) "
          + "must be at least 32 characters");
    }
    Kind kind = r.enumValue("storage.kind", Kind.class, Kind.ROCKSDB);
    Path dataDir = r.path("storage.data-dir", "./data");
    // Read whatever the kind, so a file naming these keys is never refused as holding unknown keys.
    PostgresConfig postgres = PostgresConfig.from(r);
    return new StorageConfig(kind, dataDir, secretsKey, kind == Kind.POSTGRES ? postgres : null);
  }

  /** The directory owned by one service. */
  public Path serviceDir(String service) {
    return dataDir.resolve(service);
  }

  // A config record may be logged: the key must not be.
  @Override
  public String toString() {
    return "StorageConfig[kind=" + kind + ", dataDir=" + dataDir + ", secretsKey="
        + (secretsKey == null ? "none" : "***") + (postgres == null ? "" : ", " + postgres) + "]";
  }
}

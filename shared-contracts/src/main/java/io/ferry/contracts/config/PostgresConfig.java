package io.ferry.contracts.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a service finds PostgreSQL when {@code storage.kind} is {@code postgres}. {@code storage.postgres.url}
 * ({@code postgresql://user@host:port/database}) or the separate host/port/database/user keys name the server;
 * the password comes from the environment ({@code FERRY_STORAGE_POSTGRES_PASSWORD}) or a file
 * ({@code storage.postgres.password-file}, e.g. a mounted Kubernetes Secret), never from a committed file.
 *
 * @param schema the schema holding Ferry's tables (created when missing); each service prefixes its tables
 *     with its name, so admin and messaging may share one schema
 * @param poolSize connections per service process
 * @param statementTimeoutMs PostgreSQL's {@code statement_timeout} for every connection
 * @param connectTimeoutMs how long opening a connection may take before the request fails UNAVAILABLE
 */
public record PostgresConfig(String host, int port, String database, String user, String password,
    String schema, int poolSize, long statementTimeoutMs, long connectTimeoutMs) {

  public static final String DEFAULT_SCHEMA = "ferry";

  public static PostgresConfig from(ConfigReader r) {
    String url = r.string("storage.postgres.url", null);
    String host = r.string("storage.postgres.host", "localhost");
    int port = r.integer("storage.postgres.port", 5432, 1, 65535);
    String database = r.string("storage.postgres.database", "ferry");
    String user = r.string("storage.postgres.user", "ferry");
    if (url != null && !url.isBlank()) {
      URI uri = parseUrl(url);
      host = uri.getHost();
      port = uri.getPort() > 0 ? uri.getPort() : 5432;
      String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      database = path.isEmpty() ? database : path;
      if (uri.getUserInfo() != null) {
        if (uri.getUserInfo().contains(":")) {
          throw new ConfigException("invalid configuration: storage.postgres.url must not carry a password; use "
              + "FERRY_STORAGE_POSTGRES_PASSWORD or storage.postgres.password-file");
        }
        user = uri.getUserInfo();
      }
    }
    String password = r.string("storage.postgres.password", null);
    String passwordFile = r.string("storage.postgres.password-file", null);
    if (password == null && passwordFile != null && !passwordFile.isBlank()) {
      password = readPasswordFile(Path.of(passwordFile));
    }
    String schema = r.string("storage.postgres.schema", DEFAULT_SCHEMA);
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigException("invalid configuration: storage.postgres.schema (FERRY_STORAGE_POSTGRES_SCHEMA) "
          + "must be a lower-case identifier (letters, digits, _), got '" + schema + "'");
    }
    return new PostgresConfig(host, port, database, user, password, schema,
        r.integer("storage.postgres.pool-size", 8, 1, 256),
        r.longValue("storage.postgres.statement-timeout-ms", 10_000, 100, 3_600_000),
        r.longValue("storage.postgres.connect-timeout-ms", 5_000, 100, 600_000));
  }

  /** The same server and credentials with another schema (tests give each store a schema of its own). */
  public PostgresConfig withSchema(String otherSchema) {
    return new PostgresConfig(host, port, database, user, password, otherSchema, poolSize, statementTimeoutMs,
        connectTimeoutMs);
  }

  public PostgresConfig withPoolSize(int size) {
    return new PostgresConfig(host, port, database, user, password, schema, size, statementTimeoutMs,
        connectTimeoutMs);
  }

  private static URI parseUrl(String url) {
    try {
      URI uri = new URI(url.trim());
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new URISyntaxException(url, "expected postgresql://[user@]host[:port]/database");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException("invalid configuration: storage.postgres.url (FERRY_STORAGE_POSTGRES_URL) must "
          + "look like postgresql://[user@]host[:port]/database, got '" + url + "'");
    }
  }

  private static String readPasswordFile(Path file) {
    try {
      // Secrets mounted from Kubernetes or written by `echo` end with a newline that is not part of them.
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException("invalid configuration: storage.postgres.password-file: cannot read " + file + ": "
          + e.getMessage());
    }
  }

  // A config record may be logged: the password must not be.
  @Override
  public String toString() {
    return "PostgresConfig[" + user + "@" + host + ":" + port + "/" + database + ", schema=" + schema
        + ", poolSize=" + poolSize + ", password=" + (password == null ? "none" : "***") + "]";
  }
}

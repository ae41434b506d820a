package io.ferry.contracts.testkit;

import io.ferry.contracts.config.PostgresConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: a throwaway cluster made with the machine's own PostgreSQL binaries
 * ({@code initdb} into a temporary directory, run as the {@code postgres} user when the tests run as root),
 * listening on a free loopback port with password authentication. {@link #shared()} is one server per test JVM
 * (each test takes a {@link #freshSchema() schema of its own}); {@link #startOwn()} gives a test a server it may
 * stop, crash and restart. Set {@code FERRY_TEST_POSTGRES_URL} (and {@code FERRY_TEST_POSTGRES_PASSWORD}) to
 * use an existing server for the shared one instead. Without PostgreSQL binaries the tests using it are skipped,
 * unless {@code FERRY_TEST_POSTGRES_REQUIRED=1} (set by CI), where they fail.
 *
 * <p>The server runs with {@code fsync=off}: tests kill Ferry's processes, not the machine, so what PostgreSQL
 * committed survives in the page cache, and the suite stays fast. {@code synchronous_commit} stays on.
 */
public final class TestPostgres implements AutoCloseable {

  private static final String USER = "ferry";
  private static final String PASSWORD = "ferry-test-password";
  private static final String DATABASE = "ferry";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static TestPostgres shared;

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Path bin;
  private final Path dir;
  private Process server;

  private TestPostgres(String host, int port, String database, String user, String password, Path bin, Path dir) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.bin = bin;
    this.dir = dir;
  }

  /** The server every test of this JVM shares, started on first use and stopped when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      String url = System.getenv("FERRY_TEST_POSTGRES_URL");
      if (url != null && !url.isBlank()) {
        URI uri = URI.create(url);
        shared = new TestPostgres(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432,
            uri.getPath().replaceFirst("^/", ""), uri.getUserInfo(), System.getenv("FERRY_TEST_POSTGRES_PASSWORD"),
            null, null);
      } else {
        shared = startOwn();
        TestPostgres server = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
      }
    }
    return shared;
  }

  /** A server of the caller's own, on a new cluster; the caller closes it. */
  public static TestPostgres startOwn() {
    Path bin = findBinaries();
    try {
      Path dir = Files.createTempDirectory("ferry-pg-");
      TestPostgres server = new TestPostgres("127.0.0.1", Ports.free(), DATABASE, USER, PASSWORD, bin, dir);
      server.initialize();
      server.start();
      server.createDatabase();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connection settings for a schema no other test uses (created by the store's migrations). */
  public PostgresConfig freshSchema() {
    return config("t" + SCHEMAS.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36));
  }

  /** Connection settings for {@code schema}. */
  public PostgresConfig config(String schema) {
    return new PostgresConfig(host, port, database, user, password, schema, 4, 10_000, 2_000);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  /** {@code postgresql://user@host:port/database}, as {@code storage.postgres.url} takes it. */
  public String url() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  /** Starts the server (again, after {@link #stop()} or {@link #crash()}) and waits until it accepts connections. */
  public synchronized void start() {
    requireOwn();
    List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data().toString(),
        "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
        "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
        "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning"));
    try {
      server = asPostgresUser(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitAccepting();
  }

  /** A clean, fast shutdown (what {@code pg_ctl stop -m fast} does): connections are closed. */
  public synchronized void stop() {
    pgCtl("fast");
  }

  /** Stops the server as a crash would ({@code -m immediate}: no checkpoint, recovery from WAL at next start). */
  public synchronized void crash() {
    pgCtl("immediate");
  }

  @Override
  public synchronized void close() {
    if (dir == null) {
      return;
    }
    if (server != null && server.isAlive()) {
      pgCtl("immediate");
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }

  private void initialize() throws IOException {
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
    ownedByPostgres(dir);
    ownedByPostgres(passwordFile);
    run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", USER, "-E", "UTF8",
        "--locale=C", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256",
        "--pwfile=" + passwordFile), Duration.ofSeconds(60));
  }

  private void createDatabase() {
    run(List.of(bin.resolve("createdb").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", USER,
        DATABASE), Duration.ofSeconds(30));
  }

  private void pgCtl(String mode) {
    requireOwn();
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", mode, "-w", "-t", "30",
        "stop"), Duration.ofSeconds(40));
    if (server != null) {
      try {
        server.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitAccepting() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("test PostgreSQL exited at start; see " + dir.resolve("server.log"));
      }
      ProcessBuilder ready = asPostgresUser(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", dir.toString(),
          "-p", Integer.toString(port), "-U", USER, "-d", "postgres"));
      try {
        Process probe = ready.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0 && tcpOpen()) {
          return;
        }
        Thread.sleep(50);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("test PostgreSQL did not accept connections in 30 s; see "
        + dir.resolve("server.log"));
  }

  private boolean tcpOpen() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void run(List<String> command, Duration timeout) {
    try {
      Path log = dir.resolve("commands.log");
      Process process = asPostgresUser(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish in " + timeout + "; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
            + "):\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // PostgreSQL refuses to run as root: as root, every command runs as the postgres user Debian's package made.
  private static ProcessBuilder asPostgresUser(List<String> command) {
    List<String> full = new ArrayList<>();
    if (runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    return new ProcessBuilder(full);
  }

  private static void ownedByPostgres(Path path) throws IOException {
    if (runningAsRoot()) {
      UserPrincipal postgres = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(path, postgres);
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void requireOwn() {
    if (dir == null) {
      throw new IllegalStateException("this PostgreSQL was given by FERRY_TEST_POSTGRES_URL: tests cannot control it");
    }
  }

  private static Path findBinaries() {
    String given = System.getenv("FERRY_TEST_POSTGRES_BIN");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
            .max(Comparator.comparingInt(TestPostgres::majorVersion)).orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String missing = "the PostgreSQL tests need PostgreSQL's server binaries: install Debian's package "
        + "(apt-get install postgresql), or set FERRY_TEST_POSTGRES_BIN to their directory, or "
        + "FERRY_TEST_POSTGRES_URL (and FERRY_TEST_POSTGRES_PASSWORD) to a server to use";
    // CI installs PostgreSQL and sets FERRY_TEST_POSTGRES_REQUIRED, so there a missing server fails the run; on
    // a developer's machine without it, the PostgreSQL tests are skipped, loudly, and the rest still run.
    if ("1".equals(System.getenv("FERRY_TEST_POSTGRES_REQUIRED"))) {
      throw new IllegalStateException(missing);
    }
    System.err.println("SKIPPED: " + missing);
    Assumptions.abort(missing);
    throw new AssertionError("unreachable");
  }

  private static int majorVersion(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString().toLowerCase(Locale.ROOT).split("\\.")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "TestPostgres[" + url() + (dir == null ? "" : ", " + dir) + "]";
  }
}

package io.ferry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for {@code --storage postgres}: a cluster made with the machine's own Debian
 * binaries ({@code initdb} into a temporary directory, as the {@code postgres} user when the bench runs as
 * root), on a free loopback port with password authentication. Unlike the test kit's server it keeps the
 * production durability settings (fsync, synchronous_commit and full_page_writes on): a commit here costs
 * what it costs in production, which is what the figures are about.
 */
final class BenchPostgres implements AutoCloseable {

  static final String USER = "ferry";
  static final String DATABASE = "ferry";
  static final List<String> SETTINGS = List.of("fsync=on", "synchronous_commit=on", "full_page_writes=on",
      "shared_buffers=128MB", "max_connections=100");

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final String version;
  private Process server;

  private BenchPostgres(Path bin, Path dir, int port, String password, String version) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.version = version;
  }

  /** initdb, start, create the database; the caller closes it. */
  static BenchPostgres start() throws Exception {
    Path bin = findBinaries();
    Path dir = Files.createTempDirectory("ferry-bench-pg-");
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    BenchPostgres pg = new BenchPostgres(bin, dir, Ports.free(), HexFormat.of().formatHex(secret),
        versionOf(bin));
    try {
      pg.initialize();
      pg.launch();
      pg.run(List.of(bin.resolve("createdb").toString(), "-h", dir.toString(), "-p", Integer.toString(pg.port),
          "-U", USER, DATABASE), Duration.ofSeconds(30));
      return pg;
    } catch (Exception e) {
      pg.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  String password() {
    return password;
  }

  /** {@code postgresql://ferry@127.0.0.1:PORT/ferry}, as {@code storage.postgres.url} takes it. */
  String url() {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  /** E.g. {@code PostgreSQL 15.8 (Debian 15.8-0+deb12u1)}, for the report. */
  String version() {
    return version;
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  /** The process whose tree is the server (postmaster and its backends), for CPU accounting. */
  ProcessHandle process() {
    return server.toHandle();
  }

  /** A fast shutdown (connections closed), then the cluster's directory is removed. */
  @Override
  public synchronized void close() {
    if (server != null && server.isAlive()) {
      try {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "fast", "-w", "-t", "30",
            "stop"), Duration.ofSeconds(40));
        server.waitFor(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        server.destroyForcibly();
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** For the JVM shutdown hook: the server does not outlive the bench. */
  void kill() {
    if (server != null) {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }

  private void initialize() throws Exception {
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
    ownedByPostgres(dir);
    ownedByPostgres(passwordFile);
    run(List.of(bin.resolve("initdb").toString(), "-D", dataDir().toString(), "-U", USER, "-E", "UTF8",
        "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile),
        Duration.ofSeconds(120));
    Files.delete(passwordFile);
  }

  private void launch() throws Exception {
    List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir().toString(),
        "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
        "-c", "log_min_messages=warning"));
    for (String setting : SETTINGS) {
      command.addAll(List.of("-c", setting));
    }
    server = asPostgresUser(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited at start:\n" + Files.readString(dir.resolve("server.log")));
      }
      Process probe = asPostgresUser(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", dir.toString(),
          "-p", Integer.toString(port), "-U", USER, "-d", "postgres")).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0 && tcpOpen()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("PostgreSQL did not accept connections in 60 s; see " + dir.resolve("server.log"));
  }

  private boolean tcpOpen() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void run(List<String> command, Duration timeout) throws Exception {
    Path log = dir.resolve("commands.log");
    Process process = asPostgresUser(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish in " + timeout + "; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
          + Files.readString(log));
    }
  }

  private static String versionOf(Path bin) throws Exception {
    Process process = new ProcessBuilder(bin.resolve("postgres").toString(), "--version").redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor(10, TimeUnit.SECONDS);
    // "postgres (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)"
    return output.replaceFirst("^postgres \\(PostgreSQL\\)", "PostgreSQL");
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

  private static Path findBinaries() throws IOException {
    String given = System.getenv("FERRY_BENCH_POSTGRES_BIN");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
            .max(Comparator.comparingInt(BenchPostgres::majorVersion)).orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    throw new IllegalStateException("--storage postgres needs PostgreSQL's server binaries under /usr/lib/postgresql"
        + " (apt-get install postgresql) or FERRY_BENCH_POSTGRES_BIN set to their directory");
  }

  private static int majorVersion(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString().split("\\.")[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster started by {@code deploy/local/cluster} (PostgreSQL, the services' JVMs and the nginx proxy) in a
 * temporary directory, for {@code --cluster}: its processes, its ports, and what its database says about who
 * owns which shard. A queue's shard comes from messaging's own {@code ShardMap}, loaded from the messaging
 * jar the cluster runs, so the bench never carries a copy of the hash.
 */
final class LocalCluster implements AutoCloseable {

  static final Path SCRIPT = Path.of("deploy/local/cluster");
  static final Path MESSAGING_JAR = Path.of("messaging-service/target/messaging-service-fat.jar");
  /** deploy/local/cluster's extra PostgreSQL server options, passed on from the bench's environment. */
  static final String POSTGRES_OPTS = "FERRY_LOCAL_POSTGRES_OPTS";
  private static final Duration START = Duration.ofMinutes(6);
  private static final Duration STOP = Duration.ofMinutes(2);
  private static final Duration QUERY = Duration.ofSeconds(30);
  // The script's layout: PostgreSQL on PORT+1, HTTP on PORT+10+index, Hazelcast PORT+100+, event bus PORT+200+.
  private static final int[] OFFSETS = {0, 1, 10, 100, 200};
  private static final int SPAN = 20;

  private final Path dir;
  private final int port;
  private final int instances;
  private final int messaging;
  private final Map<String, String> env;
  private boolean running;
  private boolean closed;
  private volatile Process startScript;

  private LocalCluster(Path dir, int port, int instances, int messaging, Map<String, String> env) {
    this.dir = dir;
    this.port = port;
    this.instances = instances;
    this.messaging = messaging;
    this.env = env;
  }

  /**
   * A cluster with {@code messaging} messaging instances (the others as the script's default, 2), not started
   * yet: {@link #start} it, and {@link #close} it in any case (also from a shutdown hook while it starts).
   */
  static LocalCluster create(int messaging, Map<String, String> env) throws IOException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException(SCRIPT + " not found: run --cluster from the repository root (bench/run does)");
    }
    // PostgreSQL runs as the postgres user when the bench runs as root: it must be able to reach its data below.
    Path dir = Files.createTempDirectory("ferry-bench-cluster-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    return new LocalCluster(dir, freeBasePort(), 2, messaging, env);
  }

  /** Starts PostgreSQL, every instance and the proxy, and waits until every instance is ready. */
  void start() throws Exception {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the cluster was closed before it started");
      }
      running = true;
    }
    script("start", START);
  }

  /** Starts again whatever instance is not running (the script's start skips live ones) and waits until ready. */
  void restartStopped() throws Exception {
    script("start", START);
  }

  int messagingCount() {
    return messaging;
  }

  /** The proxy, with the bootstrap admin key. */
  Endpoint proxy() throws IOException {
    return new Endpoint("127.0.0.1", port, bootstrapKey());
  }

  /** The HTTP port of messaging-{@code n} (1-based), straight, not through the proxy. */
  Endpoint messaging(int n) throws IOException {
    return new Endpoint("127.0.0.1", port + 10 + instances + n - 1, bootstrapKey());
  }

  /** Every Ferry service JVM by instance name (admin-1, messaging-2, ...). */
  Map<String, ProcessHandle> services() throws IOException {
    Map<String, ProcessHandle> services = new TreeMap<>();
    try (Stream<Path> pids = Files.list(dir.resolve("pids"))) {
      for (Path file : pids.filter(p -> p.toString().endsWith(".pid")).toList()) {
        String name = file.getFileName().toString().replace(".pid", "");
        pid(file).flatMap(ProcessHandle::of).ifPresent(process -> services.put(name, process));
      }
    }
    return services;
  }

  /** The postmaster (its backends are its children). */
  Optional<ProcessHandle> postgres() throws IOException {
    return pid(dir.resolve("postgres/data/postmaster.pid")).flatMap(ProcessHandle::of);
  }

  /** nginx's master (its worker is its child). */
  Optional<ProcessHandle> proxyProcess() throws IOException {
    return pid(dir.resolve("nginx/nginx.pid")).flatMap(ProcessHandle::of);
  }

  /** SIGKILL, as a crash: no lease is released. */
  void kill(String instance) throws IOException {
    ProcessHandle process = services().get(instance);
    if (process == null) {
      throw new IllegalStateException(instance + " is not running");
    }
    process.destroyForcibly();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(instance + " did not die after SIGKILL", e);
    }
  }

  /** The deployment's shard count, as the first messaging instance recorded it. */
  int shards(Vertx vertx) throws Exception {
    return Integer.parseInt(query(vertx, "SELECT shards FROM messaging_deployment").get(0).get(0));
  }

  /**
   * Shard → the instance (messaging-N) holding an unexpired lease on it; shards without one are absent. An
   * instance leases under {@code host:data-directory}, and the script gives messaging-N the directory DIR/messaging-N.
   */
  Map<Integer, String> owners(Vertx vertx) throws Exception {
    Map<Integer, String> owners = new TreeMap<>();
    for (List<String> row : query(vertx, "SELECT shard, owner FROM messaging_shard_leases"
        + " WHERE owner IS NOT NULL AND expires_at > now()")) {
      String owner = row.get(1);
      owners.put(Integer.parseInt(row.get(0)), owner.substring(owner.lastIndexOf('/') + 1));
    }
    return owners;
  }

  /** The shard of a queue, by messaging's own {@code ShardMap} from the jar the cluster runs. */
  static int shardOf(String queueId, int shards) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {MESSAGING_JAR.toUri().toURL()}, null)) {
      Class<?> map = loader.loadClass("io.ferry.messaging.core.ShardMap");
      Object shardMap = map.getConstructor(int.class).newInstance(shards);
      Method shardOf = map.getMethod("shardOf", String.class);
      return (int) shardOf.invoke(shardMap, queueId);
    }
  }

  /** Stops everything (the script's stop) and removes the directory. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // A start still under way would go on starting instances after the stop below: end it first.
    Process starting = starting();
    if (starting != null) {
      starting.descendants().forEach(ProcessHandle::destroyForcibly);
      starting.destroyForcibly();
    }
    if (running) {
      running = false;
      try {
        script("stop", STOP);
      } catch (Exception e) {
        System.err.println("problem: stopping the cluster failed: " + e.getMessage());
      }
    }
    deleteRecursively(dir);
  }

  private List<List<String>> query(Vertx vertx, String sql) throws Exception {
    String password = Files.readString(dir.resolve("secrets/postgres-password")).strip();
    PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(port + 1).setUser("ferry")
        .setDatabase("ferry").setPassword(password);
    PgConnection connection = Await.result(PgConnection.connect(vertx, options), QUERY);
    try {
      List<List<String>> rows = new ArrayList<>();
      for (Row row : Await.result(connection.query(sql).execute(), QUERY)) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          values.add(String.valueOf(row.getValue(i)));
        }
        rows.add(values);
      }
      return rows;
    } finally {
      connection.close();
    }
  }

  private void script(String command, Duration timeout) throws Exception {
    Path log = dir.resolve("bench-cluster-script.log");
    ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command, "--dir", dir.toString(),
        "--port", Integer.toString(port), "--messaging", Integer.toString(messaging))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Except the options of the script's own PostgreSQL, which configure the database rather than Ferry.
    builder.environment().keySet().removeIf(key -> key.startsWith("FERRY_") && !key.equals(POSTGRES_OPTS));
    builder.environment().putAll(env);
    Process process = builder.start();
    if ("start".equals(command)) {
      startScript = process;
    }
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("deploy/local/cluster " + command + " took over " + timeout.toSeconds()
          + " s; its output:\n" + tail(log));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("deploy/local/cluster " + command + " exited with " + process.exitValue()
          + ":\n" + tail(log));
    }
  }

  private Process starting() {
    Process process = startScript;
    return process != null && process.isAlive() ? process : null;
  }

  private String bootstrapKey() throws IOException {
    return Files.readString(dir.resolve("secrets/bootstrap-key")).strip();
  }

  private static Optional<Long> pid(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
    try {
      return Optional.of(Long.parseLong(first));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** A base port whose every port the script derives from it is free now. */
  private static int freeBasePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + 300 * (int) (Math.random() * 30);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of ports for the cluster between 20000 and 29300");
  }

  private static boolean allFree(int base) {
    for (int offset : OFFSETS) {
      for (int i = 0; i < (offset < 10 ? 1 : SPAN); i++) {
        try (ServerSocket socket = new ServerSocket(base + offset + i)) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          return false;
        }
      }
    }
    return true;
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("problem: could not remove " + root + ": " + e.getMessage());
    }
  }

  /** For the failover report: which instance owns each shard, counted per instance. */
  static Map<String, Integer> perInstance(Map<Integer, String> owners) {
    Map<String, Integer> counts = new HashMap<>();
    owners.values().forEach(owner -> counts.merge(owner, 1, Integer::sum));
    return new TreeMap<>(counts);
  }
}

package io.ferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Command-line options. Defaults suit a full run from the repository root (what bench/run does). */
record BenchOptions(boolean list, boolean quick, Set<String> only, boolean ceiling, Duration ferryWarmup,
    Duration warmup, Duration run, int runs, Path ferryJar, List<String> ferryJvmOptions, Path output,
    Storage storage, boolean peers, boolean cluster, long leaseMs, boolean profile) {

  /** messaging.shard-lease-ms of the cluster's instances unless --lease-ms: messaging's default. */
  static final long DEFAULT_LEASE_MS = 10_000;

  /** Where Ferry keeps its state during the run. */
  enum Storage {
    /** Embedded RocksDB in a fresh temporary data directory (Ferry's default). */
    ROCKSDB,
    /** A throwaway PostgreSQL server the bench starts on this machine, with production durability settings. */
    POSTGRES
  }

  static final String USAGE = """
      usage: bench/run [options]
        --quick              1 s warm-up, 3 x 2 s runs (default: 3 s warm-up, 3 x 5 s runs)
        --only a,b           only these scenarios (ids: --list); the ceiling runs too unless --no-ceiling
        --no-ceiling         skip the ceiling scenario
        --ferry-warmup S     seconds of mixed load right after Ferry starts (default 10, --quick too)
        --warmup S           least warm-up seconds per scenario and client count (default 3; --quick: 1)
        --duration S         seconds per measured run (default 5; --quick: 2)
        --runs N             measured runs per scenario and client count (the median is reported)
        --ferry-jar PATH     standalone jar (default standalone/target/ferry-standalone.jar)
        --ferry-jvm 'OPTS'   extra JVM options for Ferry (default: none, as `java -jar` would start it)
        --storage KIND       rocksdb (default) or postgres: Ferry on a throwaway PostgreSQL the bench starts
                             (fsync on, synchronous_commit on), next to a plain SKIP LOCKED queue on it
        --peers              also run Redis Streams (appendfsync always) and ElasticMQ (in memory) right
                             after Ferry's batch push and pull + ack, same clients and load generator;
                             Ferry ÷ peer shows in Ferry's rows; a peer that cannot start is skipped
        --cluster            instead of the standalone jar: deploy/local/cluster (PostgreSQL, nginx, 2 instances
                             of each service) with 1, then 3 messaging instances; batch push and pull + ack
                             through the proxy at 16 and 64 clients (--quick: 16), then with 3 a push straight
                             to one instance for queues it owns and for queues it forwards, and kill -9 of a
                             shard's owner until a push to that shard succeeds again (3 times; --quick: 2)
                             (--only with --cluster: some of batch-push, pull-ack, forwarded, failover)
        --lease-ms N         with --cluster: messaging.shard-lease-ms of the instances (default 10000)
        --profile            sample Ferry's CPU with async-profiler over each row's measured runs: the stacks
                             (collapsed) go next to the report, where the samples landed into its notes
        --out PATH           where the table is written (default bench/results/latest.md;
                             --storage postgres: bench/results/latest-postgres.md;
                             --cluster: bench/results/latest-cluster.md)
        --list               list the scenarios and exit
      """;

  static BenchOptions parse(String[] args) {
    boolean list = false;
    boolean quick = false;
    boolean ceiling = true;
    Set<String> only = new LinkedHashSet<>();
    Integer ferryWarmup = null;
    Integer warmup = null;
    Integer run = null;
    int runs = 3;
    Path jar = Path.of("standalone/target/ferry-standalone.jar");
    String jvm = System.getenv("FERRY_BENCH_JVM_OPTS");
    Path output = null;
    Storage storage = Storage.ROCKSDB;
    boolean peers = false;
    boolean cluster = false;
    Integer leaseMs = null;
    boolean storageGiven = false;
    boolean profile = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--list" -> list = true;
        case "--quick" -> quick = true;
        case "--no-ceiling" -> ceiling = false;
        case "--peers" -> peers = true;
        case "--cluster" -> cluster = true;
        case "--profile" -> profile = true;
        case "--lease-ms" -> leaseMs = positive(value(args, ++i, arg), arg);
        case "--only" -> only.addAll(List.of(value(args, ++i, arg).split(",")));
        case "--ferry-warmup" -> ferryWarmup = positive(value(args, ++i, arg), arg);
        case "--warmup" -> warmup = positive(value(args, ++i, arg), arg);
        case "--duration" -> run = positive(value(args, ++i, arg), arg);
        case "--runs" -> runs = positive(value(args, ++i, arg), arg);
        case "--ferry-jar" -> jar = Path.of(value(args, ++i, arg));
        case "--ferry-jvm" -> jvm = value(args, ++i, arg);
        case "--out" -> output = Path.of(value(args, ++i, arg));
        case "--storage" -> {
          storage = storage(value(args, ++i, arg));
          storageGiven = true;
        }
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (cluster && (peers || storageGiven)) {
      throw new IllegalArgumentException("--cluster runs its own scenarios on PostgreSQL: it takes no --peers"
          + " or --storage");
    }
    if (cluster && !CLUSTER_PARTS.containsAll(only)) {
      throw new IllegalArgumentException("--only with --cluster takes " + String.join(", ", CLUSTER_PARTS)
          + ", not " + String.join(", ", only));
    }
    if (profile && cluster) {
      throw new IllegalArgumentException("--profile samples the standalone Ferry: it does not go with --cluster");
    }
    if (leaseMs != null && !cluster) {
      throw new IllegalArgumentException("--lease-ms goes with --cluster");
    }
    if (cluster) {
      storage = Storage.POSTGRES;
      ceiling = false;
    }
    Duration warm = Duration.ofSeconds(warmup != null ? warmup : quick ? 1 : 3);
    Duration measured = Duration.ofSeconds(run != null ? run : quick ? 2 : 5);
    // Not shortened by --quick: after 4 s the JIT was still compiling through the first row (its CPU per
    // request fell from 1,182 to 701 µs over its runs, 85 µs once warm; docs/storage.md).
    Duration ferryWarm = Duration.ofSeconds(ferryWarmup != null ? ferryWarmup : 10);
    return new BenchOptions(list, quick, only, ceiling, ferryWarm, warm, measured, runs, jar,
        words(jvm), output != null ? output : defaultOutput(storage, cluster), storage, peers, cluster,
        leaseMs != null ? leaseMs : DEFAULT_LEASE_MS, profile);
  }

  /** What --only may pick with --cluster: its two scenario rows, forwarded vs local and failover. */
  static final List<String> CLUSTER_PARTS = List.of("batch-push", "pull-ack", "forwarded", "failover");

  /** Whether --cluster runs this part of {@link #CLUSTER_PARTS} (all of them without --only). */
  boolean clusterRuns(String part) {
    return only.isEmpty() || only.contains(part);
  }

  /** Client counts of the --cluster rows: 64 as well unless --quick, which keeps the whole run near 5 minutes. */
  List<Integer> clusterClients() {
    return quick ? List.of(16) : List.of(16, 64);
  }

  /** How many times --cluster kills a shard's owner. */
  int failovers() {
    return quick ? 2 : 3;
  }

  boolean selects(Scenario scenario) {
    if (scenario instanceof CeilingScenario) {
      return ceiling;
    }
    if (scenario instanceof PeerQueueScenario && storage != Storage.POSTGRES) {
      return false;
    }
    String ferryRow = PeerRatios.ferryRowOf(scenario.id());
    if (ferryRow != null) {
      return peers && (only.isEmpty() || only.contains(scenario.id()) || only.contains(ferryRow));
    }
    return only.isEmpty() || only.contains(scenario.id());
  }

  boolean onPostgres() {
    return storage == Storage.POSTGRES;
  }

  // Each storage keeps its own latest table, so a PostgreSQL run does not replace the RocksDB one.
  private static Path defaultOutput(Storage storage, boolean cluster) {
    String file = cluster ? "latest-cluster.md" : storage == Storage.POSTGRES ? "latest-postgres.md" : "latest.md";
    return Files.isDirectory(Path.of("bench")) ? Path.of("bench/results", file) : Path.of("results", file);
  }

  private static Storage storage(String text) {
    return switch (text) {
      case "rocksdb" -> Storage.ROCKSDB;
      case "postgres" -> Storage.POSTGRES;
      default -> throw new IllegalArgumentException("--storage must be rocksdb or postgres, got '" + text + "'");
    };
  }

  private static List<String> words(String options) {
    return options == null || options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static int positive(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a positive whole number, got '" + text + "'");
  }
}

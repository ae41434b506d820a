package io.ferry.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown report: context lines, the table, then runs, notes, errors and problems. */
final class Report {

  private static final String DASH = "—";

  private Report() {
  }

  /**
   * Everything the bench measured; {@code heapAfterGc} is null when Ferry never ran or could not be asked,
   * {@code postgres} what the bench's PostgreSQL server was (null when none ran).
   */
  record Inputs(Machine machine, double foreignCpuBefore, String fsync, BenchOptions options, List<ScenarioResult> rows, Long heapAfterGc,
      String heapProblem, List<String> problems, String postgres, String loadTransport) {
  }

  static String render(Inputs in) {
    BenchOptions options = in.options();
    StringBuilder out = new StringBuilder("# Ferry benchmark\n\n");
    out.append("- When: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n')
        .append("- Machine: ").append(in.machine().describe()).append('\n')
        .append("- Other processes' CPU in the second before the bench started: ")
        .append(percent(in.foreignCpuBefore())).append('\n')
        .append("- Disk: ").append(in.fsync()).append('\n')
        .append(durability(in))
        .append(options.onPostgres() ? "- Ferry: standalone jar in its own JVM, `storage.kind=postgres` on that server"
            + " (its default pool size), fresh database, JVM options: "
            : "- Ferry: standalone jar in its own JVM, fresh data directory, JVM options: ")
        .append(options.ferryJvmOptions().isEmpty() ? "none (as `java -jar` starts it)"
            : String.join(" ", options.ferryJvmOptions())).append('\n')
        .append("- Load generator: the bench JVM on the same cores; Vert.x HttpClient on ").append(in.loadTransport())
        .append(", one keep-alive connection")
        .append(" per client, closed loop\n")
        .append(String.format(Locale.ROOT, "- Runs: Ferry gets %s of mixed load after it starts; then per row a"
            + " warm-up of at least %s, until three consecutive 1 s slices agree within 10 %%, then %d × %s"
            + " measured; every figure is the median of the %d runs%s%n", seconds(options.ferryWarmup().toSeconds()),
            seconds(options.warmup().toSeconds()), options.runs(), seconds(options.run().toSeconds()),
            options.runs(), options.quick() ? " (--quick)" : ""))
        .append("- other CPU: share of the machine used by processes other than the bench and its JVMs during the")
        .append(" runs (builds, tests); above a few % the figures are low\n")
        .append(options.onPostgres() ? POSTGRES_COLUMNS : "")
        .append(options.peers() ? PEERS_COLUMN : "")
        .append('\n');
    double ceiling = ceiling(in.rows());
    out.append("| scenario | clients | median throughput | req/s (of ceiling) | p50 | p99 | target")
        .append(" | ratio to target | ceiling in this run | errors | other CPU |")
        .append(options.onPostgres() ? " vs. peer | Ferry CPU per 1M msg | PostgreSQL CPU per 1M msg |" : "")
        .append(options.peers() ? " vs. peers (Ferry ÷ peer) |" : "")
        .append("\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
        .append(options.onPostgres() ? " ---: | ---: | ---: |" : "").append(options.peers() ? " --- |" : "")
        .append('\n');
    for (ScenarioResult row : in.rows()) {
      out.append(tableRow(row, ceiling));
      if (options.onPostgres()) {
        out.append(postgresColumns(row, in.rows()));
      }
      if (options.peers()) {
        out.append(' ').append(PeerRatios.cell(row, in.rows())).append(" |");
      }
      out.append('\n');
    }
    out.append('\n').append("Ferry heap used after GC at the end: ")
        .append(in.heapAfterGc() != null ? megabytes(in.heapAfterGc())
            + " (`jvm_memory_used_bytes{area=\"heap\"}` from /metrics, right after `jcmd <pid> GC.run`)"
            : "not measured" + (in.heapProblem() != null ? " (" + in.heapProblem() + ")" : ""))
        .append('\n');
    appendRuns(out, in.rows());
    appendNotes(out, in.rows());
    appendErrors(out, in.rows());
    if (!in.problems().isEmpty()) {
      out.append("\n## Problems\n\n");
      in.problems().forEach(p -> out.append("- ").append(p).append('\n'));
    }
    return out.toString();
  }

  private static final String POSTGRES_COLUMNS = "- vs. peer: Ferry's median throughput ÷ the peer row's that does the"
      + " same work on the same PostgreSQL server (batch push ↔ INSERT of 10, pull + ack ↔ SKIP LOCKED DELETE of 10);"
      + " above 1× Ferry is ahead\n"
      + "- CPU per 1M msg: CPU seconds (user + system, all threads and processes) the Ferry JVM, and the PostgreSQL"
      + " server (postmaster, backends and helpers, exited children included), used per million messages of the"
      + " row, from /proc over each measured run; median of the runs. The peer's own clients run in the bench JVM"
      + " and are not counted\n";

  private static final String PEERS_COLUMN = "- vs. peers: Ferry's median throughput ÷ each peer's at the same"
      + " client count, measured right after Ferry's row in this run with the same load generator (batch push ↔"
      + " Redis Streams pipelined XADD × 10 / ElasticMQ SendMessageBatch of 10, pull + ack ↔ XREADGROUP COUNT 10"
      + " + XACK / ReceiveMessage of 10 + DeleteMessageBatch; Redis with appendfsync always, ElasticMQ in memory);"
      + " above 1× Ferry is ahead\n";

  private static String durability(Inputs in) {
    if (!in.options().onPostgres()) {
      return "- Durability: fsync per group commit, on\n";
    }
    return "- Storage: " + (in.postgres() != null ? in.postgres() : "PostgreSQL (not started)") + "\n"
        + "- Durability: a push is answered after PostgreSQL committed it (synchronous_commit on, fsync on)\n"
        + "- Peer: a plain PostgreSQL queue table `" + PeerQueueScenario.TABLE + " (id bigserial PRIMARY KEY, body"
        + " bytea)` on the same server, driven by the load generator's own clients straight over the PostgreSQL"
        + " protocol (one connection each, one statement per round in its own transaction): `"
        + PeerQueueScenario.PRODUCE + "` and `" + PeerQueueScenario.CONSUME + "` (queue filled before each phase);"
        + " measured before Ferry starts, then dropped and checkpointed\n";
  }

  /** The columns a PostgreSQL run adds: throughput against the peer, and CPU of Ferry and PostgreSQL. */
  static String postgresColumns(ScenarioResult row, List<ScenarioResult> rows) {
    String vsPeer = DASH;
    String peerId = PeerQueueScenario.peerOf(row.scenario());
    if (peerId != null && row.measured()) {
      for (ScenarioResult peer : rows) {
        if (peer.scenario().id().equals(peerId) && peer.measured() && peer.medianRate() > 0) {
          vsPeer = String.format(Locale.ROOT, "%.2f×", row.medianRate() / peer.medianRate());
        }
      }
    }
    return " " + String.join(" | ", vsPeer, cpu(row.medianCpuPerMillion(BenchContext.FERRY_CPU)),
        cpu(row.medianCpuPerMillion(BenchContext.POSTGRES_CPU))) + " |";
  }

  static String cpu(double secondsPerMillion) {
    return secondsPerMillion < 0 ? DASH : String.format(Locale.ROOT, "%.1f s", secondsPerMillion);
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }

  private static String tableRow(ScenarioResult row, double ceiling) {
    String scenario = row.scenario().title();
    String clients = Integer.toString(row.clients());
    String target = row.scenario().target(row.clients()).text();
    if (row.skipped()) {
      return String.join(" | ", "| " + scenario, clients, "SKIPPED: " + row.failure().substring(
          ScenarioResult.SKIPPED.length()).replace('|', '/').replace('\n', ' '), DASH, DASH, DASH, target, DASH,
          rate(ceiling, "req/s"), count(row.errors().total()), DASH + " |");
    }
    if (!row.measured()) {
      return String.join(" | ", "| " + scenario, clients, "FAILED (see below)", DASH, DASH, DASH, target, DASH,
          rate(ceiling, "req/s"), count(row.errors().total()), DASH + " |");
    }
    double rate = row.medianRate();
    double requests = row.medianRequestRate();
    String ofCeiling = ceiling > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100 * requests / ceiling) : "";
    return String.join(" | ", "| " + scenario, clients, rate(rate, row.scenario().unit()),
        String.format(Locale.ROOT, "%,.0f", requests) + ofCeiling, millis(row.medianP50Millis()),
        millis(row.medianP99Millis()), target, row.scenario().target(row.clients()).ratio(rate, row.medianP99Millis()),
        rate(ceiling, "req/s"), count(row.errors().total()), percent(row.medianForeignCpu()) + " |");
  }

  static void appendRuns(StringBuilder out, List<ScenarioResult> rows) {
    out.append("\n## Measured runs\n\n");
    if (rows.stream().noneMatch(ScenarioResult::measured)) {
      out.append("none\n");
    }
    for (ScenarioResult row : rows) {
      if (!row.measured()) {
        continue;
      }
      StringBuilder rates = new StringBuilder();
      StringBuilder p99s = new StringBuilder();
      StringBuilder cpu = new StringBuilder();
      StringBuilder ferryCpu = new StringBuilder();
      long idle = 0;
      for (PhaseResult run : row.runs()) {
        idle += run.idleRounds();
        String sep = rates.length() == 0 ? "" : " / ";
        rates.append(sep).append(String.format(Locale.ROOT, "%,.0f", run.itemsPerSecond()));
        p99s.append(sep).append(String.format(Locale.ROOT, "%.2f", run.p99Millis()));
        cpu.append(sep).append(percent(run.foreignCpu()));
        double micros = run.cpuMicrosPerRequest(BenchContext.FERRY_CPU);
        ferryCpu.append(sep).append(micros < 0 ? DASH : String.format(Locale.ROOT, "%.0f", micros));
      }
      out.append("- ").append(label(row)).append(": warm-up ").append(row.warmUpSeconds()).append(" s")
          .append(row.warmUpSettled() ? "" : " (had not settled)").append("; ").append(rates).append(' ')
          .append(row.scenario().unit()).append("; p99 ").append(p99s).append(" ms; other CPU ").append(cpu)
          .append("; Ferry CPU per request ").append(ferryCpu).append(" µs")
          .append(idle > 0 ? String.format(Locale.ROOT, "; WARNING: %,d rounds found nothing to do", idle) : "")
          .append('\n');
    }
  }

  static void appendNotes(StringBuilder out, List<ScenarioResult> rows) {
    StringBuilder notes = new StringBuilder();
    for (ScenarioResult row : rows) {
      for (String note : row.notes()) {
        notes.append("- ").append(label(row)).append(": ").append(note).append('\n');
      }
      if (row.skipped()) {
        notes.append("- ").append(label(row)).append(": ").append(row.failure()).append('\n');
      } else if (row.failure() != null) {
        notes.append("- ").append(label(row)).append(" FAILED:\n\n```\n").append(row.failure()).append("\n```\n");
      }
    }
    if (notes.length() > 0) {
      out.append("\n## Notes\n\n").append(notes);
    }
  }

  static void appendErrors(StringBuilder out, List<ScenarioResult> rows) {
    StringBuilder errors = new StringBuilder();
    for (ScenarioResult row : rows) {
      for (Map.Entry<String, Long> kind : row.errors().kinds().entrySet()) {
        errors.append("- ").append(label(row)).append(": ").append(count(kind.getValue())).append(" × `")
            .append(kind.getKey().replace('`', '\'').replace('\n', ' ')).append("`\n");
      }
    }
    out.append("\n## Errors (warm-up and runs; status and body exactly as received)\n\n")
        .append(errors.length() > 0 ? errors : "none\n");
  }

  private static String label(ScenarioResult row) {
    return row.scenario().title() + ", " + row.clients() + " clients";
  }

  private static double ceiling(List<ScenarioResult> rows) {
    return rows.stream().filter(r -> r.scenario() instanceof CeilingScenario && r.measured())
        .mapToDouble(ScenarioResult::medianRate).findFirst().orElse(0);
  }

  static String rate(double value, String unit) {
    return value > 0 ? String.format(Locale.ROOT, "%,.0f %s", value, unit) : DASH;
  }

  static String millis(double value) {
    return String.format(Locale.ROOT, "%.2f ms", value);
  }

  static String percent(double share) {
    return share < 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  static String seconds(long value) {
    return value + " s";
  }
}

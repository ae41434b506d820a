package io.ferry.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown report of {@code --cluster}: the scenario table per cluster, forwarded vs local, failover. */
final class ClusterReport {

  private static final String DASH = "—";

  private ClusterReport() {
  }

  record Inputs(Machine machine, double foreignCpuBefore, String fsync, BenchOptions options,
      ClusterBench.Results results, List<String> problems) {
  }

  static String render(Inputs in) {
    BenchOptions options = in.options();
    StringBuilder out = new StringBuilder("# Ferry benchmark: a cluster on one machine\n\n");
    out.append("- When: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n')
        .append("- Machine: ").append(in.machine().describe()).append('\n')
        .append("- Other processes' CPU in the second before the bench started: ")
        .append(Report.percent(in.foreignCpuBefore())).append('\n')
        .append("- Disk: ").append(in.fsync()).append('\n')
        .append("- Cluster: `deploy/local/cluster start` in a temporary directory: its own PostgreSQL (Debian's"
            + " defaults, fsync on), 2 instances each of admin, dispatcher and gateway, 1 or 3 of messaging"
            + " (64 shards split between them, `messaging.shard-lease-ms` = ")
        .append(options.leaseMs()).append("), nginx routing by path on one port with keep-alive upstreams;"
            + " every instance a JVM of its own (`-Xmx384m`)\n")
        .append("- Load generator: the bench JVM on the same cores, one keep-alive connection per client to the"
            + " proxy (forwarded vs local: to messaging-1's own port), closed loop, 100 B messages\n")
        .append(String.format(Locale.ROOT, "- Runs: each cluster gets %s of mixed load after it starts; then per"
            + " row a warm-up of at least %s, then %d × %s measured; every figure is the median of the runs%s%n",
            Report.seconds(options.ferryWarmup().toSeconds()), Report.seconds(options.warmup().toSeconds()),
            options.runs(), Report.seconds(options.run().toSeconds()), options.quick() ? " (--quick)" : ""))
        .append("- CPU per 1M msg: CPU seconds (user + system, exited children included) per million messages of"
            + " the row, from /proc over each measured run: Ferry = every service JVM of the cluster, PostgreSQL ="
            + " the postmaster and its backends, nginx = its master and worker\n")
        .append("- other CPU: share of the machine used by processes outside the bench and the cluster; on 2"
            + " shared cores above a few % the figures are low, so read them as medians of noisy runs\n")
        .append("- Every process (all instances, PostgreSQL, nginx, the load generator) shares the same 2 cores:"
            + " throughput cannot grow with instances here; what the table shows is the cost of the extra hops\n\n");
    out.append("| messaging instances | scenario | clients | median throughput | req/s | p50 | p99 | errors"
        + " | other CPU | Ferry CPU per 1M msg | PostgreSQL CPU per 1M msg | nginx CPU per 1M msg |\n")
        .append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ClusterBench.Setup setup : in.results().setups()) {
      for (ScenarioResult row : setup.rows()) {
        out.append(row(Integer.toString(setup.messaging()), row));
      }
    }
    out.append('\n');
    for (ClusterBench.Setup setup : in.results().setups()) {
      out.append(idle(setup));
    }
    appendLocalVsForwarded(out, in.results().localVsForwarded());
    appendFailover(out, in.results().failover());
    for (ClusterBench.Setup setup : in.results().setups()) {
      StringBuilder details = new StringBuilder();
      Report.appendRuns(details, setup.rows());
      Report.appendNotes(details, setup.rows());
      Report.appendErrors(details, setup.rows());
      out.append("\n## ").append(setup.messaging()).append(" messaging instance")
          .append(setup.messaging() == 1 ? "" : "s").append('\n').append(details.toString().replace("\n## ", "\n### "));
    }
    ClusterBench.LocalVsForwarded lvf = in.results().localVsForwarded();
    if (lvf != null && lvf.failure() == null) {
      List<ScenarioResult> rows = new ArrayList<>(lvf.local());
      rows.addAll(lvf.forwarded());
      StringBuilder details = new StringBuilder();
      Report.appendRuns(details, rows);
      Report.appendErrors(details, rows);
      out.append("\n## Forwarded vs local, runs\n").append(details.toString().replace("\n## ", "\n### "));
    }
    if (!in.problems().isEmpty()) {
      out.append("\n## Problems\n\n");
      in.problems().forEach(p -> out.append("- ").append(p).append('\n'));
    }
    return out.toString();
  }

  /** The idle burn, which a low throughput divides among few messages: part of every CPU-per-1M figure above. */
  static String idle(ClusterBench.Setup setup) {
    Map<String, Double> idle = setup.idleCpu();
    return String.format(Locale.ROOT, "- Idle, %d messaging: with no load (right after the warm-up) the cluster used"
        + " Ferry %s, PostgreSQL %s, nginx %s CPU seconds per second%n", setup.messaging(),
        perSecond(idle.get(BenchContext.FERRY_CPU)), perSecond(idle.get(BenchContext.POSTGRES_CPU)),
        perSecond(idle.get(ClusterBench.PROXY_CPU)));
  }

  private static String perSecond(Double value) {
    return value == null ? DASH : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String row(String setup, ScenarioResult row) {
    String scenario = row.scenario().title();
    if (!row.measured()) {
      return String.join(" | ", "| " + setup, scenario, Integer.toString(row.clients()),
          row.skipped() ? "SKIPPED" : "FAILED (see below)", DASH, DASH, DASH, Report.count(row.errors().total()),
          DASH, DASH, DASH, DASH + " |") + "\n";
    }
    return String.join(" | ", "| " + setup, scenario, Integer.toString(row.clients()),
        Report.rate(row.medianRate(), row.scenario().unit()), String.format(Locale.ROOT, "%,.0f",
            row.medianRequestRate()), Report.millis(row.medianP50Millis()), Report.millis(row.medianP99Millis()),
        Report.count(row.errors().total()), Report.percent(row.medianForeignCpu()),
        Report.cpu(row.medianCpuPerMillion(BenchContext.FERRY_CPU)),
        Report.cpu(row.medianCpuPerMillion(BenchContext.POSTGRES_CPU)),
        Report.cpu(row.medianCpuPerMillion(ClusterBench.PROXY_CPU))) + " |\n";
  }

  private static void appendLocalVsForwarded(StringBuilder out, ClusterBench.LocalVsForwarded lvf) {
    out.append("\n## Forwarded vs local (3 messaging instances)\n\n");
    if (lvf == null) {
      out.append("not run\n");
      return;
    }
    if (lvf.failure() != null) {
      out.append("could not be measured: ").append(lvf.failure()).append('\n');
      return;
    }
    out.append("Batch push (10 × 100 B) sent straight to ").append(lvf.instance()).append("'s own port (no proxy),"
        + " round robin over 4 queues whose shards it owns (served locally) or 4 queues whose shards the other"
        + " instances own (forwarded over the clustered event bus to the owner and answered back). Owners from"
        + " `messaging_shard_leases`, a queue's shard from messaging's `ShardMap` (the messaging jar's class)."
        + " Messaging CPU: the 3 messaging JVMs only.\n\n")
        .append("| queues | clients | median throughput | p50 | p99 | errors | other CPU | Ferry CPU per 1M msg"
            + " | messaging CPU per 1M msg | messaging CPU per request | PostgreSQL CPU per 1M msg |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ScenarioResult row : lvf.local()) {
      out.append(localVsForwardedRow("owned by " + lvf.instance() + " (local)", row));
    }
    for (ScenarioResult row : lvf.forwarded()) {
      out.append(localVsForwardedRow("owned by others (forwarded)", row));
    }
  }

  private static String localVsForwardedRow(String label, ScenarioResult row) {
    if (!row.measured()) {
      return "| " + label + " | " + row.clients() + " | FAILED (see below) | " + DASH + " | " + DASH + " | "
          + Report.count(row.errors().total()) + " | " + DASH + " | " + DASH + " | " + DASH + " | " + DASH + " | "
          + DASH + " |\n";
    }
    double[] perRequest = row.runs().stream()
        .mapToDouble(run -> run.cpuMicrosPerRequest(ClusterBench.MESSAGING_CPU)).toArray();
    double micros = ScenarioResult.median(perRequest);
    return String.join(" | ", "| " + label, Integer.toString(row.clients()),
        Report.rate(row.medianRate(), row.scenario().unit()), Report.millis(row.medianP50Millis()),
        Report.millis(row.medianP99Millis()), Report.count(row.errors().total()),
        Report.percent(row.medianForeignCpu()), Report.cpu(row.medianCpuPerMillion(BenchContext.FERRY_CPU)),
        Report.cpu(row.medianCpuPerMillion(ClusterBench.MESSAGING_CPU)),
        micros < 0 ? DASH : String.format(Locale.ROOT, "%.0f µs", micros),
        Report.cpu(row.medianCpuPerMillion(BenchContext.POSTGRES_CPU))) + " |\n";
  }

  private static void appendFailover(StringBuilder out, ClusterBench.Failover failover) {
    out.append("\n## Failover (3 messaging instances)\n\n");
    if (failover == null) {
      out.append("not run\n");
      return;
    }
    out.append("`kill -9` of the messaging instance that owns a queue's shard, then one batch push after another"
        + " (50 ms apart after a failure) to that queue through the proxy; the time is from the kill to the first"
        + " push answered 200. Lease: `messaging.shard-lease-ms` = ").append(failover.leaseMs())
        .append(" (renewed every third of it). The killed instance is started again and the shards rebalanced"
            + " before the next kill.\n\n");
    double[] seconds = failover.kills().stream().mapToDouble(ClusterBench.Kill::seconds).toArray();
    if (seconds.length > 0) {
      double max = java.util.Arrays.stream(seconds).max().orElse(0);
      out.append(String.format(Locale.ROOT, "**Kill → first successful push: median %.1f s, max %.1f s (%d kills)**%n%n",
          ScenarioResult.median(seconds), max, seconds.length));
    }
    for (ClusterBench.Kill kill : failover.kills()) {
      out.append(String.format(Locale.ROOT, "- %s killed (owned shard %d): %.1f s, %d failed pushes before", kill
          .instance(), kill.shard(), kill.seconds(), kill.errors().total()));
      Map<String, Long> kinds = kill.errors().kinds();
      if (!kinds.isEmpty()) {
        out.append(": ");
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n + " × `" + kind.replace('`', '\'').replace('\n', ' ') + "`"));
        out.append(String.join("; ", parts));
      }
      out.append('\n');
    }
    if (failover.failure() != null) {
      out.append("- stopped early: ").append(failover.failure()).append('\n');
    }
  }
}

package io.ferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark suite's entry point ({@code bench/run}): measures the machine's HTTP ceiling, starts the
 * standalone jar, runs the selected scenarios and prints the table, also written to
 * {@code bench/results/latest.md}. Exits 1 if a scenario could not be measured, 2 on bad options.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<Scenario> scenarios = Scenarios.all();
    if (options.list()) {
      scenarios.forEach(s -> System.out.printf("%-12s %s, clients %s%n", s.id(), s.title(), s.clientCounts()));
      return;
    }
    List<String> known = scenarios.stream().map(Scenario::id).toList();
    for (String id : options.only()) {
      if (!known.contains(id)) {
        System.err.println("unknown scenario '" + id + "'; known: " + known);
        System.exit(2);
      }
      if (!options.onPostgres() && scenarios.stream().anyMatch(s -> s.id().equals(id) && s instanceof PeerQueueScenario)) {
        System.err.println("scenario '" + id + "' needs --storage postgres");
        System.exit(2);
      }
      if (!options.peers() && PeerRatios.ferryRowOf(id) != null) {
        System.err.println("scenario '" + id + "' needs --peers");
        System.exit(2);
      }
    }
    System.exit(options.cluster() ? runCluster(options) : run(options, scenarios));
  }

  private static int runCluster(BenchOptions options) throws Exception {
    Before before = Before.take();
    BenchContext context = new BenchContext(options);
    ClusterBench bench = new ClusterBench(context);
    // Ctrl-C or a crash of the bench must not leave the cluster's JVMs, PostgreSQL and nginx behind.
    Thread stopCluster = new Thread(bench::stopCluster, "bench-cluster");
    Runtime.getRuntime().addShutdownHook(stopCluster);
    ClusterBench.Results results;
    try {
      results = bench.run();
    } finally {
      bench.stopCluster();
      context.close();
      Runtime.getRuntime().removeShutdownHook(stopCluster);
    }
    String report = ClusterReport.render(new ClusterReport.Inputs(before.machine(), before.busy(), before.fsync(), options, results,
        context.problems()));
    write(options, report);
    boolean measured = results.setups().stream().flatMap(setup -> setup.rows().stream())
        .allMatch(ScenarioResult::measured);
    return measured && context.problems().isEmpty() ? 0 : 1;
  }

  /** The machine, how busy other processes kept it, and its fsync speed, taken before any load starts. */
  private record Before(Machine machine, double busy, String fsync) {

    static Before take() throws InterruptedException {
      Machine machine = Machine.current();
      CpuSampler.Sample quietBefore = CpuSampler.take();
      Thread.sleep(1_000);
      double busy = CpuSampler.foreignShare(quietBefore, CpuSampler.take());
      String fsync = FsyncProbe.measure(Duration.ofSeconds(1));
      System.err.println("fsync: " + fsync);
      return new Before(machine, busy, fsync);
    }
  }

  private static void write(BenchOptions options, String report) throws Exception {
    System.out.println(report);
    Path output = options.output();
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    Files.writeString(output, report);
    System.err.println("written to " + output);
  }

  private static int run(BenchOptions options, List<Scenario> scenarios) throws Exception {
    Before before = Before.take();
    BenchContext context = new BenchContext(options);
    Thread killChildren = new Thread(context::killChildren, "bench-children");
    Runtime.getRuntime().addShutdownHook(killChildren);
    List<ScenarioResult> rows = new ArrayList<>();
    Long heap = null;
    String heapProblem = null;
    try {
      ScenarioRunner runner = new ScenarioRunner(context);
      for (Scenario scenario : scenarios) {
        if (options.selects(scenario)) {
          rows.addAll(runner.run(scenario));
        }
      }
      if (context.ferryStarted()) {
        try {
          heap = context.ferry().heapUsedAfterGc();
        } catch (Exception e) {
          heapProblem = ErrorTally.describe(e);
        }
      }
    } finally {
      context.close();
      Runtime.getRuntime().removeShutdownHook(killChildren);
    }
    String report = Report.render(new Report.Inputs(before.machine(), before.busy(), before.fsync(), options, rows, heap, heapProblem,
        context.problems(), context.postgresDescription(), CeilingServer.transport(context.vertx())));
    write(options, report);
    return rows.stream().allMatch(row -> row.measured() || row.skipped()) ? 0 : 1;
  }
}

package io.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one scenario at each of its client counts: connect the clients, warm up, then the measured runs,
 * each preceded by the workload's own preparation. A failure ends that row, not the whole bench.
 */
final class ScenarioRunner {

  private static final Duration CONNECT = Duration.ofSeconds(30);
  private static final Duration SLICE = Duration.ofSeconds(1);
  private static final double SETTLED = 0.10;
  private static final int SETTLED_SLICES = 3;
  private static final int MAX_REPEATS = 2;

  private final BenchContext context;

  ScenarioRunner(BenchContext context) {
    this.context = context;
  }

  List<ScenarioResult> run(Scenario scenario) {
    return run(scenario, scenario.clientCounts());
  }

  /** The scenario at these client counts instead of its own ({@code --cluster --quick} runs fewer). */
  List<ScenarioResult> run(Scenario scenario, List<Integer> clientCounts) {
    List<ScenarioResult> rows = new ArrayList<>();
    double bestRate = 0;
    for (int clients : clientCounts) {
      ScenarioResult row = runAt(scenario, clients, bestRate);
      rows.add(row);
      for (PhaseResult run : row.runs()) {
        bestRate = Math.max(bestRate, run.itemsPerSecond());
      }
    }
    return rows;
  }

  private ScenarioResult runAt(Scenario scenario, int clients, double bestRateBefore) {
    ErrorTally errors = new ErrorTally();
    List<String> notes = new ArrayList<>();
    Workload workload = null;
    List<ClientConnection> connections = List.of();
    System.err.printf("%s, %d clients%n", scenario.title(), clients);
    try {
      if (scenario instanceof SelfTimedScenario own) {
        return own.measure(context, clients, errors, notes);
      }
      workload = ((RoundScenario) scenario).prepare(context, clients);
      connections = connect(workload.endpoint(), clients);
      Workload phases = workload;
      List<ClientConnection> loops = connections;
      Measured measured = measure(context, scenario, bestRateBefore, errors, notes, (length, bestRate) -> {
        phases.beforePhase(loops, length, bestRate);
        return LoadRunner.run(loops, phases, length);
      }, scenario.id() + "-" + clients);
      notes.addAll(workload.notes());
      return measured.row(scenario, clients, errors, notes);
    } catch (Exception e) {
      System.err.println("  failed: " + e);
      String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (context.ferryStarted()) {
        try {
          failure += "\nFerry output (end):\n" + context.ferry().outputTail();
          // A stall (a push or a delivery never answered) is gone by the time anyone reads the report.
          failure += "\n" + context.ferry().keepDiagnostics();
        } catch (Exception ignored) {
          // the failure itself is what matters
        }
      }
      return ScenarioResult.failed(scenario, clients, errors, notes, failure);
    } finally {
      close(connections);
      closeWorkload(scenario, workload);
    }
  }

  /**
   * Round scenarios at one client count whose measured runs are taken in turn (a run of each, then the next run
   * of each), each on its own clients, so that other load on the machine that comes and goes weighs on all of
   * them alike: for rows meant to be compared with each other.
   */
  List<ScenarioResult> runInTurn(List<RoundScenario> scenarios, int clients) {
    int count = scenarios.size();
    List<Workload> workloads = new ArrayList<>();
    List<List<ClientConnection>> connections = new ArrayList<>();
    List<ErrorTally> errors = new ArrayList<>();
    List<List<PhaseResult>> runs = new ArrayList<>();
    List<WarmUp> warmUps = new ArrayList<>();
    List<Phase> phases = new ArrayList<>();
    try {
      for (RoundScenario scenario : scenarios) {
        System.err.printf("%s, %d clients (runs in turn with %d others)%n", scenario.title(), clients, count - 1);
        Workload workload = scenario.prepare(context, clients);
        workloads.add(workload);
        List<ClientConnection> loops = connect(workload.endpoint(), clients);
        connections.add(loops);
        errors.add(new ErrorTally());
        runs.add(new ArrayList<>());
        phases.add((length, bestRate) -> {
          workload.beforePhase(loops, length, bestRate);
          return LoadRunner.run(loops, workload, length);
        });
      }
      for (int i = 0; i < count; i++) {
        warmUps.add(warmUp(context, phases.get(i), 0, errors.get(i)));
      }
      for (int run = 1; run <= context.options().runs(); run++) {
        for (int i = 0; i < count; i++) {
          double best = runs.get(i).stream().mapToDouble(PhaseResult::itemsPerSecond).max()
              .orElse(warmUps.get(i).bestRate());
          PhaseResult result = phases.get(i).run(context.options().run(), best);
          errors.get(i).addAll(result.errors());
          runs.get(i).add(result);
          System.err.printf("  %s run %d  %s%n", scenarios.get(i).id(), run, describe(result, scenarios.get(i).unit()));
        }
      }
      List<ScenarioResult> rows = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        rows.add(new ScenarioResult(scenarios.get(i), clients, warmUps.get(i).seconds(), warmUps.get(i).settled(),
            runs.get(i), errors.get(i), workloads.get(i).notes(), null));
      }
      return rows;
    } catch (Exception e) {
      System.err.println("  failed: " + e);
      List<ScenarioResult> failed = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        failed.add(ScenarioResult.failed(scenarios.get(i), clients, i < errors.size() ? errors.get(i) : new ErrorTally(),
            List.of(), e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
      return failed;
    } finally {
      connections.forEach(ScenarioRunner::close);
      for (int i = 0; i < workloads.size(); i++) {
        closeWorkload(scenarios.get(i), workloads.get(i));
      }
    }
  }

  /** One timed phase of a row, its preparation (outside the timed window) included. */
  interface Phase {

    /** {@code bestRate}: the best items/s seen so far in this scenario (0 before the first phase). */
    PhaseResult run(Duration length, double bestRate) throws Exception;
  }

  /** How a row went: its warm-up and its measured runs. */
  record Measured(int warmUpSeconds, boolean warmUpSettled, List<PhaseResult> runs) {

    ScenarioResult row(Scenario scenario, int clients, ErrorTally errors, List<String> notes) {
      return new ScenarioResult(scenario, clients, warmUpSeconds, warmUpSettled, runs, errors, notes, null);
    }
  }

  /**
   * The warm-up, then the measured runs; a run in which some round found nothing to do is measured again. Also
   * for self-timed scenarios whose rounds are not HTTP requests (the PostgreSQL peer).
   */
  static Measured measure(BenchContext context, Scenario scenario, double bestRateBefore, ErrorTally errors,
      List<String> notes, Phase phase) throws Exception {
    return measure(context, scenario, bestRateBefore, errors, notes, phase, null);
  }

  /** As above; with {@code --profile} and a {@code profileName}, Ferry's CPU is sampled over the measured runs. */
  static Measured measure(BenchContext context, Scenario scenario, double bestRateBefore, ErrorTally errors,
      List<String> notes, Phase phase, String profileName) throws Exception {
    BenchOptions options = context.options();
    List<PhaseResult> runs = new ArrayList<>();
    WarmUp warmUp = warmUp(context, phase, bestRateBefore, errors);
    double bestRate = warmUp.bestRate();
    System.err.printf("  warm-up   %d s, last second %,.0f %s%s%n", warmUp.seconds(), warmUp.lastRate(),
        scenario.unit(), warmUp.settled() ? "" : " (not settled)");
    FerryProfiler.Session profile = profileName == null ? null : context.startProfile();
    for (int i = 1; i <= options.runs(); i++) {
      for (int attempt = 0; ; attempt++) {
        PhaseResult run = phase.run(options.run(), bestRate);
        errors.addAll(run.errors());
        bestRate = Math.max(bestRate, run.itemsPerSecond());
        System.err.printf("  run %d     %s%n", i, describe(run, scenario.unit()));
        if (run.idleRounds() == 0 || attempt == MAX_REPEATS) {
          runs.add(run);
          break;
        }
        // Rounds with nothing to do (an empty queue) measure the fill, not Ferry: prepare again and repeat.
        notes.add(String.format("run %d repeated: %,d rounds found nothing to do", i, run.idleRounds()));
      }
    }
    if (profile != null) {
      notes.add(profile.stop(profileName));
    }
    return new Measured(warmUp.seconds(), warmUp.settled(), runs);
  }

  /**
   * Warms up in one-second slices until three in a row agree within 10 % (JIT, caches and connection state
   * in both JVMs), after at least the configured warm-up and at most three times it (four seconds more when
   * that is longer).
   */
  private static WarmUp warmUp(BenchContext context, Phase phase, double bestRate, ErrorTally errors)
      throws Exception {
    long least = context.options().warmup().toSeconds();
    long most = Math.max(3 * least, least + 4);
    List<Double> rates = new ArrayList<>();
    for (int seconds = 1; ; seconds++) {
      PhaseResult slice = phase.run(SLICE, bestRate);
      errors.addAll(slice.errors());
      rates.add(slice.itemsPerSecond());
      bestRate = Math.max(bestRate, slice.itemsPerSecond());
      boolean settled = settled(rates);
      if ((seconds >= least && settled) || seconds >= most) {
        return new WarmUp(seconds, settled, slice.itemsPerSecond(), bestRate);
      }
    }
  }

  /** The last {@link #SETTLED_SLICES} rates lie within {@link #SETTLED} of their largest. */
  static boolean settled(List<Double> rates) {
    if (rates.size() < SETTLED_SLICES) {
      return false;
    }
    List<Double> last = rates.subList(rates.size() - SETTLED_SLICES, rates.size());
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return max > 0 && max - min <= SETTLED * max;
  }

  private record WarmUp(int seconds, boolean settled, double lastRate, double bestRate) {
  }

  private List<ClientConnection> connect(Endpoint endpoint, int clients) throws Exception {
    return ClientConnection.openAll(context.agent(), endpoint, clients, CONNECT);
  }

  private static void close(List<ClientConnection> connections) {
    for (ClientConnection connection : connections) {
      connection.close();
    }
  }

  private void closeWorkload(Scenario scenario, Workload workload) {
    if (workload == null) {
      return;
    }
    try {
      workload.close();
    } catch (Exception e) {
      context.problem("cleanup after " + scenario.id() + " failed: " + ErrorTally.describe(e));
    }
  }

  private static String describe(PhaseResult phase, String unit) {
    return String.format("%,10.0f %s  p50 %6.2f ms  p99 %6.2f ms  errors %d%s", phase.itemsPerSecond(), unit,
        phase.p50Millis(), phase.p99Millis(), phase.errors().total(),
        phase.idleRounds() > 0 ? String.format("  empty rounds %,d", phase.idleRounds()) : "");
  }
}

package io.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * How much of the machine other processes used during a phase: all busy CPU time (/proc/stat) minus the
 * time of the bench JVM and the JVMs it started (/proc/[pid]/stat). On a shared machine this says whether
 * a figure was measured on a quiet machine. Each sample also reads the CPU time of the process trees being
 * {@link #watch watched} (Ferry, PostgreSQL), so a phase can say what each of them spent on its messages.
 * Linux only; elsewhere the share is unknown (negative) and no tree is measured.
 */
final class CpuSampler {

  private static final Map<String, List<ProcessHandle>> WATCHED = new ConcurrentHashMap<>();
  private static volatile double ticksPerSecond;

  /** CPU time counters in clock ticks, as the kernel reports them; {@code watched}: ticks per watched tree. */
  record Sample(long total, long busy, long own, Map<String, Long> watched) {

    Sample(long total, long busy, long own) {
      this(total, busy, own, Map.of());
    }
  }

  private CpuSampler() {
  }

  static Sample take() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < cpu.length; i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      // The watched trees count as the bench's own even when they are not its children (a cluster started by
      // a script), so that "other CPU" stays the share of processes outside the measurement.
      Set<Long> ownPids = new HashSet<>();
      Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
          .forEach(p -> ownPids.add(p.pid()));
      WATCHED.values().forEach(roots -> roots.forEach(root -> ownPids.addAll(treePids(root))));
      long own = ownPids.stream().mapToLong(CpuSampler::processTicks).sum();
      Map<String, Long> watched = new HashMap<>();
      WATCHED.forEach((name, roots) -> watched.put(name, roots.stream().mapToLong(CpuSampler::treeTicks).sum()));
      return new Sample(total, total - idle, own, Map.copyOf(watched));
    } catch (IOException | RuntimeException e) {
      return new Sample(-1, 0, 0);
    }
  }

  /** From now on every sample reads the CPU time of {@code root} and its descendants under {@code name}. */
  static void watch(String name, ProcessHandle root) {
    WATCHED.put(name, List.of(root));
  }

  /** The same for several trees counted together under one name (every JVM of a cluster's services). */
  static void watch(String name, List<ProcessHandle> roots) {
    WATCHED.put(name, List.copyOf(roots));
  }

  static void unwatch(String name) {
    WATCHED.remove(name);
  }

  /** CPU seconds each tree watched in both samples used between them. */
  static Map<String, Double> watchedSeconds(Sample before, Sample after) {
    Map<String, Double> seconds = new HashMap<>();
    after.watched().forEach((name, ticks) -> {
      Long earlier = before.watched().get(name);
      if (earlier != null) {
        seconds.put(name, Math.max(0, ticks - earlier) / ticksPerSecond());
      }
    });
    return Map.copyOf(seconds);
  }

  /** Share of all CPU capacity (0..1) used by processes other than ours between two samples; -1 if unknown. */
  static double foreignShare(Sample before, Sample after) {
    long total = after.total() - before.total();
    if (before.total() < 0 || after.total() < 0 || total <= 0) {
      return -1;
    }
    long foreign = (after.busy() - before.busy()) - (after.own() - before.own());
    return Math.max(0, Math.min(1, (double) foreign / total));
  }

  /**
   * User and system time of the tree, children included: a backend that exited and was reaped inside the tree
   * left its time in its parent's cutime/cstime.
   */
  private static long treeTicks(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants())
        .mapToLong(p -> ticks(p.pid(), 11, 12) + ticks(p.pid(), 13, 14)).sum();
  }

  private static List<Long> treePids(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).map(ProcessHandle::pid).toList();
  }

  private static long processTicks(long pid) {
    return ticks(pid, 11, 12);
  }

  // Fields of /proc/[pid]/stat counted from the one after the command name: 11 utime, 12 stime, 13 cutime, 14 cstime.
  private static long ticks(long pid, int first, int second) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      return Long.parseLong(fields.get(first)) + Long.parseLong(fields.get(second));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double ticksPerSecond() {
    if (ticksPerSecond == 0) {
      double value = 100;
      try {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        value = Double.parseDouble(new String(getconf.getInputStream().readAllBytes()).trim());
      } catch (IOException | RuntimeException e) {
        // 100 is what Linux reports on every common architecture
      }
      ticksPerSecond = value;
    }
    return ticksPerSecond;
  }
}

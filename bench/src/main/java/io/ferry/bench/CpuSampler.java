package io.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * How much of the machine other processes used during a phase: all busy CPU time (/proc/stat) minus the
 * time of the bench JVM and the JVMs it started (/proc/[pid]/stat). On a shared machine this says whether
 * a figure was measured on a quiet machine. Linux only; elsewhere the share is unknown (negative).
 */
final class CpuSampler {

  /** CPU time counters in clock ticks, as the kernel reports them. */
  record Sample(long total, long busy, long own) {
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
      long own = Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
          .mapToLong(p -> processTicks(p.pid())).sum();
      return new Sample(total, total - idle, own);
    } catch (IOException | RuntimeException e) {
      return new Sample(-1, 0, 0);
    }
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

  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
      return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}

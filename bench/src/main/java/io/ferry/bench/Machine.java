package io.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on. */
record Machine(int cores, long memoryBytes, String cpu, String os, String jdk) {

  static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), memTotalBytes(), cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
  }

  String describe() {
    return String.format("%d cores (%s), %s RAM, %s; JDK %s", cores, cpu,
        memoryBytes > 0 ? String.format("%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024)) : "unknown", os, jdk);
  }

  private static long memTotalBytes() {
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return 0;
  }

  private static String cpuModel() {
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "cpu model unknown";
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}

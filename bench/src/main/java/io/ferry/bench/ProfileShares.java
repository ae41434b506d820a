package io.ferry.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a profile's CPU samples landed, from async-profiler's collapsed stacks ({@code frame;frame;... count}):
 * by the kind of the innermost frame (Java, RocksDB, the kernel's socket writes and reads, epoll, fsync, the JIT,
 * GC), and Ferry's methods found on the most stacks (inclusive).
 */
record ProfileShares(long samples, Map<String, Long> byKind, Map<String, Long> ferryMethods) {

  private static final int TOP_METHODS = 6;
  // In order: the first that matches the innermost frame names its kind.
  private static final Map<String, Pattern> LEAF_KINDS = kinds(
      "socket writes", "__GI_write|writev|__send|sendmsg|__libc_write",
      "socket reads", "__GI_read|__libc_read|recv",
      "epoll", "epoll",
      "fsync", "fdatasync|fsync",
      "locks and parking", "futex|pthread_cond|Unsafe\\.park|Unsafe\\.unpark|__lll",
      "RocksDB", "rocksdb");
  // For stacks whose innermost frame is of none of those: by a frame anywhere on them.
  private static final Map<String, Pattern> THREAD_KINDS = kinds(
      "GC", "GangWorker|G1[A-Z]|ConcurrentGCThread|G1ServiceThread",
      "JIT compiler", "CompileBroker|C2Compiler|C1Compiler",
      "RocksDB", "rocksdb");

  private static Map<String, Pattern> kinds(String... namesAndPatterns) {
    Map<String, Pattern> kinds = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPatterns.length; i += 2) {
      kinds.put(namesAndPatterns[i], Pattern.compile(namesAndPatterns[i + 1]));
    }
    return kinds;
  }

  static ProfileShares of(List<String> collapsedLines) {
    long total = 0;
    Map<String, Long> byKind = new LinkedHashMap<>();
    Map<String, Long> methods = new LinkedHashMap<>();
    for (String line : collapsedLines) {
      int space = line.lastIndexOf(' ');
      String tail = space < 0 ? "" : line.substring(space + 1).trim();
      if (!tail.matches("\\d+")) {
        continue;
      }
      long count = Long.parseLong(tail);
      String[] frames = line.substring(0, space).split(";");
      total += count;
      byKind.merge(kindOf(frames), count, Long::sum);
      Set<String> seen = new HashSet<>();
      for (String frame : frames) {
        if (frame.startsWith("io/ferry/") && !frame.contains("$$Lambda")) {
          String method = method(frame);
          if (seen.add(method)) {
            methods.merge(method, count, Long::sum);
          }
        }
      }
    }
    return new ProfileShares(total, sorted(byKind, Integer.MAX_VALUE), sorted(methods, TOP_METHODS));
  }

  private static String kindOf(String[] frames) {
    String leaf = frames[frames.length - 1];
    for (Map.Entry<String, Pattern> kind : LEAF_KINDS.entrySet()) {
      if (kind.getValue().matcher(leaf).find()) {
        return kind.getKey();
      }
    }
    String stack = String.join(";", frames);
    for (Map.Entry<String, Pattern> kind : THREAD_KINDS.entrySet()) {
      if (kind.getValue().matcher(stack).find()) {
        return kind.getKey();
      }
    }
    return "Java and the rest";
  }

  // io/ferry/dispatcher/http/WebhookSender.send_[j] -> WebhookSender.send (lambdas named after their method).
  private static String method(String frame) {
    String name = frame.replaceAll("_\\[[a-z0-9]\\]$", "");
    name = name.substring(name.lastIndexOf('/') + 1);
    return name.replaceAll("\\.lambda\\$([A-Za-z0-9_]+)\\$\\d+$", ".$1");
  }

  private static Map<String, Long> sorted(Map<String, Long> counts, int most) {
    return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(most)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  String describe() {
    if (samples == 0) {
      return "no samples";
    }
    List<String> parts = new ArrayList<>();
    byKind.forEach((kind, count) -> parts.add(kind + " " + percent(count)));
    List<String> top = new ArrayList<>();
    ferryMethods.forEach((method, count) -> top.add(method + " " + percent(count)));
    return String.format(Locale.ROOT, "%,d samples; innermost frame: %s; Ferry methods on the most stacks: %s",
        samples, String.join(", ", parts), top.isEmpty() ? "none" : String.join(", ", top));
  }

  private String percent(long count) {
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * count / samples);
  }
}

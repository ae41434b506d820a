package io.ferry.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The disk's durability ceiling where Ferry keeps its data: 100-byte appends, each followed by an fsync
 * ({@code FileChannel.force}), from one thread. Without group commit, one request per fsync is the most a
 * durable queue can do.
 */
final class FsyncProbe {

  private FsyncProbe() {
  }

  /** E.g. {@code 4,210 fsyncs/s from one thread, p50 0.21 ms}; or what went wrong. */
  static String measure(Duration duration) {
    Path file = null;
    try {
      file = Files.createTempFile("ferry-bench-fsync-", ".log");
      LatencyHistogram latency = new LatencyHistogram();
      ByteBuffer record = ByteBuffer.allocate(Payloads.MESSAGE_BYTES);
      long end = System.nanoTime() + duration.toNanos();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          record.clear();
          channel.write(record);
          channel.force(false);
          latency.recordNanos(System.nanoTime() - start);
        }
      }
      return String.format(Locale.ROOT, "%,.0f fsyncs/s from one thread, p50 %.2f ms, p99 %.2f ms (100 B append"
          + " + fsync, %s)", latency.count() / (duration.toNanos() / 1e9), latency.percentile(0.5) / 1000.0,
          latency.percentile(0.99) / 1000.0, file.getParent());
    } catch (IOException e) {
      return "not measured (" + e + ")";
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }
}

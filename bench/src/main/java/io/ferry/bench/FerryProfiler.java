package io.ferry.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * {@code --profile}: async-profiler (from Maven Central, bundled in the bench jar) loaded into Ferry's JVM over
 * the measured runs of each row, sampling CPU time ({@code itimer}, every thread, native frames included: JFR's
 * samples miss RocksDB and the kernel). Each row leaves its stacks in collapsed form next to the report and a
 * note of where the samples landed ({@link ProfileShares}).
 */
final class FerryProfiler {

  private static final String OPTIONS = "start,event=itimer,interval=1ms";

  private final long pid;
  private final Path library;
  private final Path directory;

  private FerryProfiler(long pid, Path library, Path directory) {
    this.pid = pid;
    this.library = library;
    this.directory = directory;
  }

  /** For the JVM {@code pid}; stacks go to {@code directory}. Fails when this platform has no library. */
  static FerryProfiler forJvm(long pid, Path directory) throws IOException {
    String platform = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
    Files.createDirectories(directory);
    Path library = directory.resolve("libasyncProfiler.so");
    try (InputStream in = FerryProfiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
      if (in == null) {
        throw new IOException("async-profiler has no " + platform + " library in the bench jar");
      }
      Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
    }
    return new FerryProfiler(pid, library, directory);
  }

  /** Starts sampling; {@link Session#stop} ends it. */
  Session start() throws Exception {
    load(OPTIONS);
    return new Session();
  }

  private void load(String options) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgentPath(library.toString(), options);
    } finally {
      vm.detach();
    }
  }

  /** One row's sampling. */
  final class Session {

    /** Stops sampling, keeps the stacks as {@code <name>.collapsed}, and says where the samples landed. */
    String stop(String name) throws Exception {
      Path stacks = directory.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "-") + ".collapsed");
      load("stop,file=" + stacks + ",collapsed");
      return String.format(Locale.ROOT, "profile of Ferry over the measured runs (%s): %s", stacks,
          ProfileShares.of(Files.readAllLines(stacks)).describe());
    }
  }
}

package io.ferry.contracts.runtime;

import io.ferry.contracts.config.ConfigReader;
import io.vertx.core.Future;
import java.io.PrintWriter;
import java.util.function.Function;

/**
 * What every process {@code main} does: run its command line ({@link FerryCli}); {@code serve} (the
 * default) reads the typed config (exit 2 naming the key when invalid), starts the node and blocks until it
 * is up (Vert.x threads are daemons: returning from {@code main} earlier would end the JVM), then holds the
 * process until SIGTERM. An environment the node cannot start in exits 2 with one line, any other failure 1.
 */
public final class FerryLauncher {

  private FerryLauncher() {
  }

  public static <C> void launch(String[] args, Function<ConfigReader, C> readConfig,
      Function<C, Future<FerryNode>> start) {
    int code = new FerryCli<>(System.getenv(), readConfig, start)
        .run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }
}

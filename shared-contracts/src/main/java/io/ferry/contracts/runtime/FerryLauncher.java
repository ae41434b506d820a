package io.ferry.contracts.runtime;

import io.ferry.contracts.config.ConfigException;
import io.ferry.contracts.config.ConfigReader;
import io.vertx.core.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every process {@code main} does: read its typed config (exit 2 naming the key when invalid), start
 * the node and block until it is up (Vert.x threads are daemons: returning from {@code main} earlier would
 * end the JVM), then hold the process until SIGTERM. A node that fails to start exits 1.
 */
public final class FerryLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(FerryLauncher.class);

  private FerryLauncher() {
  }

  public static <C> void launch(String[] args, Function<ConfigReader, C> readConfig,
      Function<C, Future<FerryNode>> start) {
    C config;
    try {
      ConfigReader reader = ConfigReader.load(args);
      config = readConfig.apply(reader);
      reader.rejectUnknownFileKeys();
    } catch (ConfigException e) {
      System.err.println("ferry: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      start.apply(config).await().runAsProcess();
    } catch (ConfigException e) {
      System.err.println("ferry: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException | Error e) {
      LOG.error("Ferry failed to start", e);
      System.exit(1);
    }
  }
}

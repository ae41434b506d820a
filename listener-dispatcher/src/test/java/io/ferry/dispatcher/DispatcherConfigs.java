package io.ferry.dispatcher;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.json.JsonObject;

/** Dispatcher configurations as an operator writes them: named keys over the defaults. */
public final class DispatcherConfigs {

  private DispatcherConfigs() {
  }

  /**
   * The defaults with {@code keys} (their configuration names, e.g. {@code dispatcher.max-attempts}; arrays for
   * lists); a misspelt key fails as it would in a config file.
   */
  public static DispatcherConfig of(JsonObject keys) {
    ConfigReader reader = ConfigReader.of(keys);
    DispatcherConfig config = DispatcherConfig.from(reader, null);
    reader.rejectUnknownFileKeys();
    return config;
  }
}

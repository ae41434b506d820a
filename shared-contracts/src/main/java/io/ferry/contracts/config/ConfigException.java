package io.ferry.contracts.config;

/** Invalid configuration; the message names the key (and its environment variable) at fault. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}

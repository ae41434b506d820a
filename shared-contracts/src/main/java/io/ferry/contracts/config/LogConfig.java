package io.ferry.contracts.config;

/** Log output: plain text or one JSON object per line, and the root level. */
public record LogConfig(Format format, Level level) {

  /** Line format. */
  public enum Format { TEXT, JSON }

  /** Root log level. */
  public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

  public static LogConfig from(ConfigReader r) {
    return new LogConfig(r.enumValue("log.format", Format.class, Format.TEXT),
        r.enumValue("log.level", Level.class, Level.INFO));
  }
}

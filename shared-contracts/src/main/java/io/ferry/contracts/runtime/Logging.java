package io.ferry.contracts.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import co.elastic.logging.logback.EcsEncoder;
import io.ferry.contracts.config.LogConfig;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies {@link LogConfig} to Logback once configuration is known (logback.xml gives the text default). */
final class Logging {

  private Logging() {
  }

  // title: the node's title ("Ferry admin-service"), which names the service in JSON lines.
  static void apply(LogConfig config, String title) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.level().name()));
    if (config.format() == LogConfig.Format.JSON) {
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setName("json");
      appender.setEncoder(ecsEncoder(context, serviceName(title)));
      appender.start();
      root.detachAndStopAllAppenders();
      root.addAppender(appender);
    }
  }

  // Elastic Common Schema: @timestamp, log.level, message, ecs.version, service.name, MDC entries as fields.
  private static EcsEncoder ecsEncoder(LoggerContext context, String serviceName) {
    EcsEncoder encoder = new EcsEncoder();
    encoder.setContext(context);
    encoder.setServiceName(serviceName);
    String version = Logging.class.getPackage().getImplementationVersion();
    if (version != null) {
      encoder.setServiceVersion(version);
    }
    encoder.setStackTraceAsArray(true);
    encoder.start();
    return encoder;
  }

  static String serviceName(String title) {
    return title.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
  }
}

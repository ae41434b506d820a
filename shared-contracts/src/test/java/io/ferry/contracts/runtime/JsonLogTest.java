package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.ferry.contracts.config.LogConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLogTest {

  private final PrintStream stdout = System.out;

  @AfterEach
  void restore() throws Exception {
    System.setOut(stdout);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void jsonLinesFollowTheElasticCommonSchema() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Instant before = Instant.now().minusMillis(1);

    Logging.apply(new LogConfig(LogConfig.Format.JSON, LogConfig.Level.INFO), "Ferry admin-service");
    LoggerFactory.getLogger("io.ferry.test").info("queue {} created", "orders");

    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), String.join("\n", lines));
    JsonObject line = new JsonObject(lines.get(0));
    Instant at = Instant.parse(line.getString("@timestamp"));
    assertFalse(at.isBefore(before), line.encode());
    assertEquals("INFO", line.getString("log.level"));
    assertEquals("queue orders created", line.getString("message"));
    assertNotNull(line.getString("ecs.version"), line.encode());
    assertEquals("ferry-admin-service", line.getString("service.name"));
    assertEquals("io.ferry.test", line.getString("log.logger"));
  }

  @Test
  void textModeKeepsThePlainFormat() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));

    Logging.apply(new LogConfig(LogConfig.Format.TEXT, LogConfig.Level.INFO), "Ferry");
    LoggerFactory.getLogger("io.ferry.test").info("plain");

    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .* - plain\\R"), out);
  }
}

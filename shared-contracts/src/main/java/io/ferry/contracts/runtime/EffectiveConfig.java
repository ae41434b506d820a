package io.ferry.contracts.runtime;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.ConfigReader.Setting;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The effective configuration as check-config and print-config show it: secrets never appear. */
final class EffectiveConfig {

  static final String MASK = "********";

  /** Keys whose value is a credential (not a path to one, not a lifetime). */
  private static final Pattern SECRET = Pattern.compile("(secret|token|password|(^|-)key)(?!.*-(file|seconds)$)");

  private EffectiveConfig() {
  }

  static boolean secret(String key) {
    String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return SECRET.matcher(last).find() && !last.endsWith("-file") && !last.endsWith("-seconds");
  }

  static String shown(Setting setting) {
    if (setting.value() == null) {
      return null;
    }
    return secret(setting.key()) ? MASK : setting.value();
  }

  static String table(List<Setting> settings, Path file, Map<String, String> env) {
    String fileName = file != null ? file.toString() : env.get(ConfigReader.FILE_VARIABLE);
    StringBuilder text = new StringBuilder("config file: ").append(fileName == null ? "none" : fileName)
        .append("\n\n");
    int width = settings.stream().mapToInt(s -> s.key().length()).max().orElse(0);
    for (Setting setting : settings) {
      String value = shown(setting);
      text.append(String.format(Locale.ROOT, "%-" + width + "s  %-12s %s%n", setting.key(),
          source(setting), value == null ? "(not set)" : value));
    }
    return text.toString();
  }

  static String json(List<Setting> settings) {
    JsonObject json = new JsonObject();
    for (Setting setting : settings) {
      json.put(setting.key(), new JsonObject().put("value", shown(setting)).put("source", source(setting)));
    }
    return json.encodePrettily() + System.lineSeparator();
  }

  private static String source(Setting setting) {
    return switch (setting.source()) {
      case DEFAULT -> "default";
      case FILE -> "file";
      case ENV -> "env";
    };
  }
}

package io.ferry.contracts.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads configuration keys from, in increasing precedence: the caller's defaults, a JSON file (nested
 * objects flatten to dotted keys: {@code {"http":{"port":8080}}} is {@code http.port}), and the environment
 * ({@code http.port} is {@code FERRY_HTTP_PORT}). Every accessor validates and names the key on error.
 */
public final class ConfigReader {

  /** Environment variable naming the config file; {@code --config <path>} on the command line also works. */
  public static final String FILE_VARIABLE = "FERRY_CONFIG_FILE";

  private final Map<String, String> file;
  private final Map<String, String> env;
  private final Set<String> read = new HashSet<>();
  private final Map<String, Setting> settings = new TreeMap<>();

  /** Where a value came from, lowest precedence first. */
  public enum Source { DEFAULT, FILE, ENV }

  /** One key as read: its effective value ({@code null} when unset with no default) and its source. */
  public record Setting(String key, String value, Source source) {
  }

  ConfigReader(Map<String, String> file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** A reader over the process's command line and environment. */
  public static ConfigReader load(String[] args) {
    return load(args, System.getenv());
  }

  public static ConfigReader load(String[] args, Map<String, String> env) {
    String path = null;
    List<String> argList = Arrays.asList(args);
    for (int i = 0; i < argList.size(); i++) {
      String arg = argList.get(i);
      if (arg.equals("--config")) {
        if (i + 1 >= argList.size()) {
          throw new ConfigException("--config needs a file path");
        }
        path = argList.get(++i);
      } else if (arg.startsWith("--config=")) {
        path = arg.substring("--config=".length());
      }
    }
    return load(path == null ? null : Path.of(path), env);
  }

  /** A reader over {@code file} (when null, the one {@code FERRY_CONFIG_FILE} names, if any) and {@code env}. */
  public static ConfigReader load(Path file, Map<String, String> env) {
    Path path = file != null ? file : env.get(FILE_VARIABLE) == null ? null : Path.of(env.get(FILE_VARIABLE));
    if (path != null && path.toString().isBlank()) {
      throw new ConfigException("--config needs a file path");
    }
    return new ConfigReader(path == null ? Map.of() : readFile(path), env);
  }

  /**
   * A reader over a configuration document, read as a {@code --config} file is (nested objects or dotted
   * keys, arrays as lists), with no environment: for tests and embedding.
   */
  public static ConfigReader of(JsonObject document) {
    Map<String, String> flat = new HashMap<>();
    flatten("", document, flat);
    return new ConfigReader(Map.copyOf(flat), Map.of());
  }

  /** A reader over explicit environment variables only (tests and embedding). */
  public static ConfigReader of(Map<String, String> values) {
    return new ConfigReader(Map.of(), Map.copyOf(values));
  }

  public static String envName(String key) {
    return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key, String defaultValue) {
    String value = raw(key);
    return value == null ? fallback(key, defaultValue) : value;
  }

  /** A value that must be present in some source. */
  public String requiredString(String key) {
    String value = raw(key);
    if (value == null || value.isBlank()) {
      throw invalid(key, "is required", value);
    }
    return value;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    long value = longValue(key, defaultValue, min, max);
    return (int) value;
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    String value = raw(key);
    if (value == null) {
      return fallback(key, defaultValue);
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a whole number between " + min + " and " + max, value);
    }
    if (parsed < min || parsed > max) {
      throw invalid(key, "must be between " + min + " and " + max, value);
    }
    return parsed;
  }

  public boolean bool(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null) {
      return fallback(key, defaultValue);
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw invalid(key, "must be true or false", value);
    };
  }

  /** Comma-separated list; blank entries dropped. */
  public List<String> list(String key, List<String> defaultValue) {
    String value = raw(key);
    if (value == null) {
      settings.put(key, new Setting(key, String.join(",", defaultValue), Source.DEFAULT));
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        items.add(part.trim());
      }
    }
    return List.copyOf(items);
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    String value = raw(key);
    if (value == null) {
      settings.put(key, new Setting(key,
          defaultValue == null ? null : defaultValue.name().toLowerCase(Locale.ROOT), Source.DEFAULT));
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw invalid(key, "must be one of " + allowed, value);
    }
  }

  public Path path(String key, String defaultValue) {
    return Path.of(string(key, defaultValue));
  }

  /** Fails when the config file holds keys nothing read: a typo there must not be silently ignored. */
  public void rejectUnknownFileKeys() {
    Set<String> unknown = new TreeSet<>(file.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new ConfigException("invalid configuration: unknown keys in config file: " + unknown);
    }
  }

  /** Every key read so far, by name, with its effective value and source (for check-config). */
  public List<Setting> settings() {
    return List.copyOf(settings.values());
  }

  private String raw(String key) {
    read.add(key);
    String fromEnv = env.get(envName(key));
    if (fromEnv != null) {
      settings.put(key, new Setting(key, fromEnv, Source.ENV));
      return fromEnv;
    }
    String fromFile = file.get(key);
    settings.put(key, new Setting(key, fromFile, fromFile == null ? Source.DEFAULT : Source.FILE));
    return fromFile;
  }

  private <T> T fallback(String key, T defaultValue) {
    settings.put(key, new Setting(key, defaultValue == null ? null : String.valueOf(defaultValue), Source.DEFAULT));
    return defaultValue;
  }

  private ConfigException invalid(String key, String problem, String value) {
    return new ConfigException("invalid configuration: " + key + " (" + envName(key) + ") " + problem
        + (value == null ? "" : ", got '" + value + "'"));
  }

  private static Map<String, String> readFile(Path path) {
    try {
      Map<String, String> flat = new HashMap<>();
      flatten("", new JsonObject(Files.readString(path)), flat);
      return flat;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("config file " + path + " is not valid JSON: " + e.getMessage());
    }
  }

  private static void flatten(String prefix, JsonObject json, Map<String, String> into) {
    for (Map.Entry<String, Object> entry : json) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof JsonObject nested) {
        flatten(key + ".", nested, into);
      } else if (value instanceof io.vertx.core.json.JsonArray array) {
        List<String> parts = new ArrayList<>();
        array.forEach(item -> parts.add(String.valueOf(item)));
        into.put(key, String.join(",", parts));
      } else if (value != null) {
        into.put(key, String.valueOf(value));
      }
    }
  }
}

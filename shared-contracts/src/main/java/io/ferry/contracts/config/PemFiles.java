package io.ferry.contracts.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// Reads PEM public-key blocks from a configured file at start-up (before any event loop runs).
final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN PUBLIC KEY-----(.+?)-----END PUBLIC KEY-----", Pattern.DOTALL);

  private PemFiles() {
  }

  /** The base64 bodies of every public-key block in the file (whitespace removed). */
  static List<String> publicKeys(String file, String key) {
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException("invalid configuration: " + key + " (" + ConfigReader.envName(key)
          + ") cannot be read: " + e.getMessage());
    }
    List<String> keys = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      keys.add(matcher.group(1).replaceAll("\\s", ""));
    }
    if (keys.isEmpty()) {
      throw new ConfigException("invalid configuration: " + key + " (" + ConfigReader.envName(key)
          + ") holds no -----BEGIN PUBLIC KEY----- block");
    }
    return keys;
  }
}

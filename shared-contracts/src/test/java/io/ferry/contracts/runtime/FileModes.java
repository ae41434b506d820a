package io.ferry.contracts.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

// Test helper: the mode of every entry under a directory, and a way to start from permissive ones.
final class FileModes {

  private FileModes() {
  }

  // Entries whose mode is not 0700 (directories) or 0600 (files), with their mode: empty when all are private.
  static Map<String, String> notPrivate(Path root) throws IOException {
    Map<String, String> wrong = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(path -> {
        String mode = mode(path);
        String wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
        if (!mode.equals(wanted)) {
          wrong.put(root.relativize(path).toString(), mode);
        }
      });
    }
    return wrong;
  }

  static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void set(Path path, String mode) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }
}

package io.ferry.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

// The entries of a data directory that others could read: every directory must be 0700, every file 0600.
final class PrivateDataDir {

  private PrivateDataDir() {
  }

  // Entry → its mode, for each entry that is not private; empty when all are.
  static Map<String, String> notPrivate(Path root) throws IOException {
    Map<String, String> wrong = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.forEach(path -> {
        try {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
          if (!mode.equals(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------")) {
            wrong.put(root.relativize(path).toString(), mode);
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // RocksDB removed an obsolete file meanwhile
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return wrong;
  }
}

package io.ferry.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A private copy of a built jar, for tests that restart a process many times: other builds may replace the
 * jar in {@code target/} meanwhile, and every incarnation must run the same code.
 */
final class PinnedJar {

  private PinnedJar() {
  }

  /** Copies the jar named by {@code jarProperty} into {@code dir}; returns the property naming the copy. */
  static String pin(String jarProperty, Path dir) throws IOException {
    String jar = System.getProperty(jarProperty);
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("jar not built: " + jarProperty + " = " + jar);
    }
    Files.createDirectories(dir);
    Path copy = dir.resolve(Path.of(jar).getFileName());
    Files.copy(Path.of(jar), copy, StandardCopyOption.REPLACE_EXISTING);
    String pinned = jarProperty + ".pinned." + Integer.toHexString(dir.hashCode());
    System.setProperty(pinned, copy.toString());
    return pinned;
  }
}

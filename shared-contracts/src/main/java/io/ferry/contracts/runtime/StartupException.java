package io.ferry.contracts.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process cannot start in this environment (port taken, data directory unusable or in use, a native
 * library that cannot load). The message
 * is one line for the operator: what, where, what to do. Exit code 2, no stack trace.
 */
public final class StartupException extends RuntimeException {

  /** RocksDB names its lock file as {@code <dir>/LOCK: <reason>}, also when the holder is this process. */
  private static final Pattern ROCKS_LOCK = Pattern.compile("([^\\s:]+)/LOCK: ");

  public StartupException(String message) {
    super(message);
  }

  /** One line for a failure known to be environmental found in {@code failure}'s causes, else null. */
  static String explain(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StartupException startup) {
        return startup.getMessage();
      }
      String message = String.valueOf(cause.getMessage());
      Matcher lock = ROCKS_LOCK.matcher(message);
      if (cause.getClass().getName().equals("org.rocksdb.RocksDBException") && lock.find()) {
        return inUse(java.nio.file.Path.of(lock.group(1)));
      }
      if (cause instanceof UnsatisfiedLinkError) {
        return nativeLibrary(message);
      }
      if (cause instanceof java.net.BindException) {
        return "cannot listen: " + message + "; another process holds the port: stop it, or set http.port "
            + "(FERRY_HTTP_PORT) / cluster.port";
      }
    }
    return null;
  }

  // RocksDB (and Netty's epoll transport, which falls back to NIO instead) unpack their native libraries into
  // java.io.tmpdir and load them from there: a temporary directory mounted noexec is the usual cause.
  static String nativeLibrary(String message) {
    return "a native library could not be loaded (" + message + "); RocksDB unpacks its library into the "
        + "temporary directory " + System.getProperty("java.io.tmpdir") + ", which must allow executing files "
        + "(not mounted noexec): start Java with -Djava.io.tmpdir=<a directory that does>";
  }

  static String inUse(java.nio.file.Path dataDir) {
    return "data directory " + dataDir.toAbsolutePath().normalize() + " is in use by another Ferry process: "
        + "stop that process, or give this one its own storage.data-dir (FERRY_STORAGE_DATA_DIR)";
  }
}

package io.ferry.contracts.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What a process checks before starting any module, so that a port or data directory it cannot use ends
 * start-up at once with one line naming it, instead of a stack trace after everything else started.
 * Blocking: call before the event loops run.
 */
public final class StartupChecks {

  /** Held for the life of the process: the lock on the data directory is released only when it exits. */
  private static FileLock dataDirLock;

  private StartupChecks() {
  }

  /** Fails when nothing can listen on {@code host:port} (port 0 picks a free one and always passes). */
  public static void portFree(String what, String host, int port, String key) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new StartupException(what + " port " + port + " on " + host + " is not available (" + e.getMessage()
          + "): stop the process using it, or choose another port with " + key + " ("
          + io.ferry.contracts.config.ConfigReader.envName(key) + ")");
    }
  }

  /**
   * Creates the data directory if missing ({@code 0700}), checks this user can write it, and locks it for
   * this process: a second process on the same directory would corrupt nothing (RocksDB locks its own
   * files) but would fail late and obscurely.
   */
  public static synchronized void dataDirectory(Path dir) {
    Path shown = dir.toAbsolutePath().normalize();
    String fix = "; set storage.data-dir (FERRY_STORAGE_DATA_DIR) to a directory this user can write";
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StartupException("data directory " + shown + " is not a directory (a file is in its place)" + fix);
    }
    try {
      PrivateFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException("cannot create data directory " + shown + " (" + reason(e) + ")" + fix);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException("data directory " + shown + " is not writable by this user" + fix);
    }
    lock(dir, shown, fix);
  }

  private static void lock(Path dir, Path shown, String fix) {
    try {
      FileChannel channel = openLockFile(dir.resolve("ferry.lock"));
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StartupException(StartupException.inUse(dir));
      }
      dataDirLock = lock;
    } catch (IOException e) {
      throw new StartupException("cannot lock data directory " + shown + " (" + reason(e) + ")" + fix);
    }
  }

  private static FileChannel openLockFile(Path file) throws IOException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
    } catch (UnsupportedOperationException notPosix) {
      return FileChannel.open(file, options);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      return (fs.getReason() == null ? e.getClass().getSimpleName() : fs.getReason()) + ": " + fs.getFile();
    }
    return e.getMessage();
  }
}

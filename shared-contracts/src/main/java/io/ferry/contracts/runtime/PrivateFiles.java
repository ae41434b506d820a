package io.ferry.contracts.runtime;

import io.ferry.contracts.config.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps stored data readable by the process's user only: directories {@code 0700}, files {@code 0600}, set
 * explicitly rather than left to the umask (admin's store holds the token secret and every listener's
 * {@code whsec_} secret in clear). RocksDB creates its files {@code 0644} whatever the umask, so stores call
 * {@link #restrictTree} after opening, whenever RocksDB reports new files, and at close; the {@code 0700}
 * directory keeps a file unreachable by others in the moment between its creation and its {@code chmod}.
 * Blocking: call off the event loop. A file system without POSIX permissions is left as it is.
 */
public final class PrivateFiles {

  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

  private PrivateFiles() {
  }

  /**
   * The directory of {@code service} under the data directory, both created if missing and restricted to
   * {@code 0700}. A data directory this user does not own (a volume's mount point) is left as it is, with a
   * log line: the service directory inside it is what holds the data.
   */
  public static Path serviceDir(StorageConfig storage, String service) {
    Path dataDir = storage.dataDir();
    try {
      createDirectories(dataDir);
      try {
        restrict(dataDir, DIRECTORY);
      } catch (FileSystemException notOwner) {
        LOG.info("data directory {} keeps its permissions ({}); its service directories are private",
            dataDir.toAbsolutePath(), notOwner.getReason());
      }
      Path dir = storage.serviceDir(service);
      createDirectories(dir);
      restrict(dir, DIRECTORY);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code dir} and its missing parents as {@code 0700} (the umask may only take bits away). */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir.toAbsolutePath().getRoot())) {
      FileAttribute<Set<PosixFilePermission>> privateDir = PosixFilePermissions.asFileAttribute(DIRECTORY);
      Files.createDirectories(dir, privateDir);
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Sets every directory under (and including) {@code dir} to {@code 0700} and every file to {@code 0600}.
   * Files that vanish meanwhile (RocksDB deletes obsolete ones concurrently) are skipped; symbolic links are
   * not followed.
   */
  public static void restrictTree(Path dir) {
    if (!Files.isDirectory(dir) || !posix(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.forEach(path -> {
        try {
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            restrict(path, DIRECTORY);
          } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            restrict(path, FILE);
          }
        } catch (NoSuchFileException gone) {
          // deleted since it was listed
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A walk racing a deletion may fail on a vanished entry; the next pass covers what it missed.
      if (!(rootCause(e) instanceof NoSuchFileException)) {
        throw new UncheckedIOException("cannot restrict permissions under " + dir + ": " + e.getMessage(),
            e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
      }
    }
  }

  /** {@link #restrictTree}, logging instead of failing: for background threads and closing stores. */
  public static void tryRestrictTree(Path dir) {
    try {
      restrictTree(dir);
    } catch (RuntimeException e) {
      LOG.warn("could not restrict the permissions of the files under {}: {}", dir, e.getMessage());
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
    if (posix(path) && !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
      Files.setPosixFilePermissions(path, wanted);
    }
  }

  private static boolean posix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}

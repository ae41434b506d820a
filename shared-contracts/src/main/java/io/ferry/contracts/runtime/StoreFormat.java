package io.ferry.contracts.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The on-disk format version of a RocksDB store, kept under {@link #KEY} in the default column family. A store
 * without the key was written before versions were recorded: it is version 1. Start-up reads the version before
 * opening the store for writing, so that a store written by a newer Ferry is refused without being touched
 * (opening it for writing could already create files or column families the newer build does not expect).
 */
public final class StoreFormat {

  /** Key of the version in the default column family (ASCII decimal). */
  public static final byte[] KEY = "meta/store-format".getBytes(StandardCharsets.UTF_8);
  /** The format admin's embedded store is written in by this build, and the newest it reads. */
  public static final int ADMIN = 1;
  /** The format messaging's embedded store is written in by this build, and the newest it reads. */
  public static final int MESSAGING = 1;
  /** The version of a store that has no {@link #KEY}: the format before versions were recorded. */
  public static final int UNVERSIONED = 1;

  private StoreFormat() {
  }

  /** Thrown when a data directory holds a store format newer than this build reads. */
  public static final class TooNewException extends IllegalStateException {
    public TooNewException(Path dir, int found, int supported) {
      super("data directory " + dir + " was written by a newer Ferry (store format " + found
          + ", this build reads up to " + supported + "); upgrade Ferry or restore a backup");
    }
  }

  /**
   * Fails with {@link TooNewException} when the store in {@code dir} has a format above {@code supported}. Opens
   * it read-only (no lock, no write) and sends RocksDB's info log to a scratch directory, so that a refused store
   * is left exactly as it was. No store in {@code dir} passes.
   */
  public static void requireReadable(Path dir, int supported) throws IOException, RocksDBException {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return;
    }
    int found;
    try {
      found = readVersion(dir);
    } catch (RocksDBException needsRecovery) {
      // Read-only mode cannot replay some logs (e.g. a family flushed past them after a crash): the store is
      // then checked once open for writing, by checkAndStamp, before Ferry writes anything to it.
      return;
    }
    if (found > supported) {
      throw new TooNewException(dir, found, supported);
    }
  }

  /**
   * Fails with {@link TooNewException} when the open store's format is above {@code current}, and records
   * {@code current} in a store that has no version yet (new, or written before versions).
   */
  public static void checkAndStamp(RocksDB db, Path dir, int current) throws RocksDBException {
    int found = version(db);
    if (found > current) {
      throw new TooNewException(dir, found, current);
    }
    if (db.get(KEY) == null) {
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(sync, KEY, Integer.toString(current).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The version recorded in an open store, {@link #UNVERSIONED} when there is none. */
  public static int version(RocksDB db) throws RocksDBException {
    return parse(db.get(KEY));
  }

  private static int readVersion(Path dir) throws IOException, RocksDBException {
    Path scratchLogs = Files.createTempDirectory("ferry-format-check");
    try {
      List<byte[]> families;
      try (Options listing = new Options()) {
        families = RocksDB.listColumnFamilies(listing, dir.toString());
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] family : families) {
        descriptors.add(new ColumnFamilyDescriptor(family));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (DBOptions options = new DBOptions().setDbLogDir(scratchLogs.toString());
          RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles)) {
        try {
          return version(db);
        } finally {
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    } finally {
      deleteScratch(scratchLogs);
    }
  }

  private static void deleteScratch(Path scratch) throws IOException {
    try (var files = Files.walk(scratch)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static int parse(byte[] value) {
    if (value == null) {
      return UNVERSIONED;
    }
    String text = new String(value, StandardCharsets.UTF_8).trim();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      // Not a number this build writes: most likely a later, richer encoding.
      return Integer.MAX_VALUE;
    }
  }
}

package io.ferry.contracts.runtime.backup;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.runtime.StoreFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Checkpoints of an open RocksDB store: a consistent copy at one point in time, taken while the store serves
 * (table files are hard-linked when the target is on the same file system, the rest copied). Blocking: call it
 * on a store or worker thread, never an event loop.
 */
public final class RocksCheckpoints {

  private RocksCheckpoints() {
  }

  /** Checkpoints {@code db} into {@code target}, which must not exist; its parent is created if needed. */
  public static StoreCheckpoint create(String store, RocksDB db, Path target) {
    try {
      Files.createDirectories(target.getParent());
      if (Files.exists(target)) {
        throw new FerryException(ErrorCode.NAME_TAKEN, "checkpoint directory " + target + " exists already");
      }
      int format = StoreFormat.version(db);
      try (Checkpoint checkpoint = Checkpoint.create(db)) {
        checkpoint.createCheckpoint(target.toString());
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(target)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      return new StoreCheckpoint(store, target.toAbsolutePath().toString(), format, bytes, files.size());
    } catch (RocksDBException | IOException e) {
      throw new FerryException(ErrorCode.INTERNAL, "checkpoint of the " + store + " store into " + target
          + " failed: " + e.getMessage());
    }
  }

  /** What a store that cannot take checkpoints (PostgreSQL) answers. */
  public static FerryException notEmbedded(String store) {
    return new FerryException(ErrorCode.UNPROCESSABLE, "the " + store + " store is in PostgreSQL: back it up "
        + "with pg_dump (see docs/operations.md, \"Backup and restore\")");
  }
}

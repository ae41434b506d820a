package io.ferry.contracts.runtime.cli;

import io.ferry.contracts.runtime.StoreFormat;
import java.io.IOException;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;

// Opens a backed-up store to read its format. Kept out of Restore: the dispatcher's and the gateway's jars have
// no RocksDB, and a command class that names RocksDB types could not even be loaded there (every process
// builds the whole command line at start).
final class BackupStoreCheck {

  private BackupStoreCheck() {
  }

  static void requireReadable(Path backup, String store, Path copy, int supportedFormat) {
    try {
      StoreFormat.requireReadable(copy, supportedFormat);
    } catch (StoreFormat.TooNewException e) {
      throw new CliFailure(CliFailure.INVALID, e.getMessage());
    } catch (IOException | RocksDBException e) {
      throw new CliFailure(CliFailure.INVALID, "cannot read the " + store + " store of " + backup + ": "
          + e.getMessage());
    }
  }
}

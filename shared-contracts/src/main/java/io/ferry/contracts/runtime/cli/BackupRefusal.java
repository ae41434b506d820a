package io.ferry.contracts.runtime.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code backup} and {@code restore}: not done by the CLI yet; each refuses and names the procedure. */
final class BackupRefusal {

  private BackupRefusal() {
  }

  private static int refuse(PrintWriter err, String what) {
    err.println("ferry: " + what + " is not done by this command yet: see docs/operations.md, \"Backup and "
        + "restore\" (stop-and-copy or a file-system snapshot for RocksDB, pg_dump for PostgreSQL)");
    return CliFailure.INVALID;
  }

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Not implemented: prints where the backup procedure is documented and exits 2.")
  static final class Backup implements Callable<Integer> {
    private final PrintWriter err;

    Backup(PrintWriter err) {
      this.err = err;
    }

    @Override
    public Integer call() {
      return refuse(err, "backup");
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Not implemented: prints where the restore procedure is documented and exits 2.")
  static final class Restore implements Callable<Integer> {
    private final PrintWriter err;

    Restore(PrintWriter err) {
      this.err = err;
    }

    @Override
    public Integer call() {
      return refuse(err, "restore");
    }
  }
}

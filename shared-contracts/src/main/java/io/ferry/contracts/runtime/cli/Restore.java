package io.ferry.contracts.runtime.cli;

import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.StoreFormat;
import io.ferry.contracts.runtime.backup.BackupManifest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restores a backup made by `ferry backup` into the data directory, with Ferry stopped. The "
        + "current admin/ and messaging/ directories are moved aside (to <name>.before-restore-<time>), never "
        + "deleted; the backup itself stays as it is.",
        "Refuses a data directory a running Ferry holds, an incomplete backup, or one written by a newer Ferry.",
        "With storage.kind=postgres it prints the pg_restore command for the configured schema and exits 2.",
        "Exit codes: 0 restored, 1 failed while copying, 2 refused (in use, incomplete, newer format, "
            + "PostgreSQL, invalid configuration), 3 backup directory not found."})
final class Restore implements Callable<Integer> {

  // What each store's backup must not exceed: the newest format this build reads.
  private static final Map<String, Integer> STORES = new LinkedHashMap<>(Map.of(
      "admin", StoreFormat.ADMIN, "messaging", StoreFormat.MESSAGING));
  private static final DateTimeFormatter ASIDE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Parameters(paramLabel = "BACKUP_DIR", description = "a directory written by `ferry backup`")
  Path backup;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration file")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "restore into DIR instead of storage.data-dir")
  Path dataDir;

  @Option(names = "--json", description = "machine output: one JSON document")
  boolean json;

  private final CliContext context;

  Restore(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    try {
      restore();
      return 0;
    } catch (CliFailure e) {
      context.err().println("ferry: " + e.getMessage());
      return e.exitCode();
    }
  }

  private void restore() {
    StorageConfig storage = StorageGuidance.read(config, context.env());
    if (storage.kind() == StorageConfig.Kind.POSTGRES) {
      throw StorageGuidance.restoreWithPgRestore(storage.postgres());
    }
    Path target = (dataDir != null ? dataDir : storage.dataDir()).toAbsolutePath().normalize();
    if (!Files.isDirectory(backup)) {
      throw new CliFailure(CliFailure.NOT_FOUND, "backup directory " + backup + " not found");
    }
    BackupManifest manifest = checkedManifest();
    List<Path> movedAside = new ArrayList<>();
    try {
      // Held while restoring: the standalone server takes the same lock at start, so it cannot start meanwhile.
      FileChannel dataDirLock = lockDataDir(target);
      try {
        for (String store : STORES.keySet()) {
          Path live = target.resolve(store);
          if (held(live.resolve("LOCK"))) {
            throw inUse(live);
          }
        }
        String stamp = ASIDE.format(Instant.now());
        for (String store : STORES.keySet()) {
          Path live = target.resolve(store);
          if (Files.exists(live)) {
            Path aside = target.resolve(store + ".before-restore-" + stamp);
            Files.move(live, aside);
            movedAside.add(aside);
          }
          copyTree(backup.resolve(store), live);
          PrivateFiles.restrictTree(live);
        }
      } finally {
        dataDirLock.close();
      }
    } catch (IOException e) {
      throw new CliFailure(CliFailure.FAILED, "restore into " + target + " failed: " + e.getMessage()
          + (movedAside.isEmpty() ? "" : "; the previous data is in " + movedAside));
    }
    report(manifest, target, movedAside);
  }

  // Everything that can make the backup unusable is checked before the data directory is touched.
  private BackupManifest checkedManifest() {
    BackupManifest manifest;
    try {
      manifest = BackupManifest.read(backup);
    } catch (IOException e) {
      throw new CliFailure(CliFailure.INVALID, e.getMessage());
    }
    for (Map.Entry<String, Integer> store : STORES.entrySet()) {
      Path copy = backup.resolve(store.getKey());
      StoreCheckpoint listed = manifest.stores().stream().filter(s -> s.store().equals(store.getKey()))
          .findFirst().orElse(null);
      if (listed == null || !Files.isRegularFile(copy.resolve("CURRENT"))) {
        throw new CliFailure(CliFailure.INVALID, backup + " is not a complete Ferry backup: no " + store.getKey()
            + " store");
      }
      if (listed.format() > store.getValue()) {
        throw new CliFailure(CliFailure.INVALID,
            new StoreFormat.TooNewException(copy, listed.format(), store.getValue()).getMessage());
      }
      try {
        BackupStoreCheck.requireReadable(backup, store.getKey(), copy, store.getValue());
      } catch (NoClassDefFoundError e) {
        throw new CliFailure(CliFailure.INVALID, "this process has no embedded store; run restore with the jar of "
            + "the standalone server, admin or messaging");
      }
    }
    return manifest;
  }

  private static FileChannel lockDataDir(Path target) throws IOException {
    PrivateFiles.createDirectories(target);
    FileChannel channel = FileChannel.open(target.resolve("ferry.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (OverlappingFileLockException e) {
      // held by this process
    }
    channel.close();
    throw inUse(target);
  }

  // RocksDB holds an fcntl lock on LOCK while a store is open (a clustered service takes no ferry.lock); a
  // lock this process can take is held by no one.
  private static boolean held(Path lock) {
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
        FileLock held = channel.tryLock()) {
      return held == null;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      throw new CliFailure(CliFailure.INVALID, "cannot check whether " + lock + " is held: " + e.getMessage());
    }
  }

  private static CliFailure inUse(Path dir) {
    return new CliFailure(CliFailure.INVALID, "data directory " + dir + " is in use by a running Ferry (it holds "
        + "the directory's lock): stop Ferry, then restore");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path copy = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          PrivateFiles.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
  }

  private void report(BackupManifest manifest, Path target, List<Path> movedAside) {
    if (json) {
      context.out().println(new JsonObject().put("restored", manifest.toJson()).put("data_dir", target.toString())
          .put("moved_aside", movedAside.stream().map(Path::toString).toList()).encode());
      return;
    }
    context.out().println("restored backup " + manifest.name() + " (taken " + manifest.createdAt() + ") into "
        + target);
    if (!movedAside.isEmpty()) {
      context.out().println("the previous data is in " + String.join(", ",
          movedAside.stream().map(Path::toString).toList()) + ": delete it once the restored Ferry runs as expected");
    }
  }
}

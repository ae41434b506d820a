package io.ferry.admin.core;

import io.ferry.admin.store.AdminStore;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.runtime.FerryCli;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.backup.BackupManifest;
import io.ferry.contracts.runtime.backup.RocksCheckpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Online backups of the embedded stores: a checkpoint of admin's store and of messaging's, side by side in one
 * directory under the backup root, then a {@link BackupManifest}. Only for root credentials: a backup holds
 * every account's data and secrets. The two checkpoints are milliseconds apart, not one instant: a queue made
 * in between exists in admin's copy only, and is then re-created empty in messaging at restore.
 */
public final class BackupService {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final DateTimeFormatter DEFAULT_NAME =
      DateTimeFormatter.ofPattern("'ferry-'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Path root;
  private final AdminStore admin;
  private final MessagingCheckpoints messaging;
  private final Clock clock;

  /** {@code root} is where backups go; {@code null} when the stores are not embedded (PostgreSQL). */
  public BackupService(Vertx vertx, Path root, AdminStore admin, MessagingCheckpoints messaging, Clock clock) {
    this.vertx = vertx;
    this.root = root == null ? null : root.toAbsolutePath().normalize();
    this.admin = admin;
    this.messaging = messaging;
    this.clock = clock;
  }

  /** Takes a backup named {@code name} (a single path segment; {@code null}: the current UTC time). */
  public Future<BackupResult> create(Principal caller, String name) {
    if (!caller.root()) {
      return Future.failedFuture(new FerryException(ErrorCode.FORBIDDEN, "backups need a root key"));
    }
    if (root == null) {
      return Future.failedFuture(RocksCheckpoints.notEmbedded("admin"));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String chosen = name == null ? DEFAULT_NAME.format(now) : name;
    if (!NAME.matcher(chosen).matches()) {
      return Future.failedFuture(FerryException.invalidField("name", "must be 1 to 100 letters, digits, '.', '_' "
          + "or '-', starting with a letter or digit (a directory under the backup root, not a path)"));
    }
    Path dir = root.resolve(chosen);
    return vertx.executeBlocking(() -> {
      PrivateFiles.createDirectories(root);
      if (Files.exists(dir)) {
        throw new FerryException(ErrorCode.NAME_TAKEN, "backup " + chosen + " exists already");
      }
      PrivateFiles.createDirectories(dir);
      return dir;
    }).compose(made -> admin.checkpoint(dir.resolve("admin")))
        .compose(adminCopy -> messaging.checkpoint(dir.resolve("messaging"))
            .map(messagingCopy -> List.of(adminCopy, messagingCopy)))
        .compose(copies -> vertx.executeBlocking(() -> {
          BackupManifest manifest = new BackupManifest(chosen, now.toString(), FerryCli.version(), copies);
          manifest.write(dir);
          PrivateFiles.restrictTree(dir);
          return new BackupResult(dir, manifest);
        }));
  }

  /** A backup taken: where it is and what it holds. */
  public record BackupResult(Path directory, BackupManifest manifest) {

    public long bytes() {
      return manifest.stores().stream().mapToLong(StoreCheckpoint::bytes).sum();
    }
  }
}

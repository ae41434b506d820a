package io.ferry.admin.bus;

import io.ferry.admin.core.MessagingCheckpoints;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.CheckpointRequest;
import io.ferry.contracts.model.StoreCheckpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** {@link MessagingCheckpoints} as an event-bus request to messaging-service. */
public final class BusMessagingCheckpoints implements MessagingCheckpoints {

  // A checkpoint hard-links table files, so it takes milliseconds; copying them (another file system) takes
  // as long as the disk needs for the whole store.
  private static final long TIMEOUT_MS = 10 * 60_000;

  private final Vertx vertx;

  public BusMessagingCheckpoints(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<StoreCheckpoint> checkpoint(Path target) {
    return Bus.request(vertx, Endpoints.MESSAGING_CHECKPOINT,
        new CheckpointRequest(target.toAbsolutePath().toString()), TIMEOUT_MS);
  }
}

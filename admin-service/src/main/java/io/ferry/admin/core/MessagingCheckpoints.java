package io.ferry.admin.core;

import io.ferry.contracts.model.StoreCheckpoint;
import io.vertx.core.Future;
import java.nio.file.Path;

/** Asks messaging-service for a checkpoint of its store (on its node: in a cluster, the path is that node's). */
public interface MessagingCheckpoints {

  Future<StoreCheckpoint> checkpoint(Path target);
}

package io.ferry.messaging.core;

import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Future;

/** The queues and subscriptions as admin-service, which owns them, has them now. */
public interface TopologySource {

  Future<TopologySnapshot> snapshot();
}

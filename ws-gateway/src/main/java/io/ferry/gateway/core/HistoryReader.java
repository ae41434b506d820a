package io.ferry.gateway.core;

import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.vertx.core.Future;

/** Reads retained messages of a queue by sequence (served by messaging-service). */
public interface HistoryReader {

  Future<HistoryPage> read(HistoryRequest request);
}

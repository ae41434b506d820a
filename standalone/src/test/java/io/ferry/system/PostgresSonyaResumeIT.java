package io.ferry.system;

import java.util.Map;

/** {@link SonyaResumeIT} (WebSocket replay by sequence) with the standalone jar's storage on PostgreSQL. */
class PostgresSonyaResumeIT extends SonyaResumeIT {

  @Override
  Map<String, String> storageEnv() {
    return PostgresStorage.freshSchema();
  }
}

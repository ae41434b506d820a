package io.ferry.system;

import java.util.Map;

/** {@link WebhookDeliveryIT} with the standalone jar's storage on PostgreSQL. */
class PostgresWebhookDeliveryIT extends WebhookDeliveryIT {

  @Override
  Map<String, String> storageEnv() {
    return PostgresStorage.freshSchema();
  }
}

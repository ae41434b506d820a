package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.ApiKeyService;
import io.ferry.admin.core.AuditTrail;
import io.ferry.admin.core.BackupService;
import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.QueueService;
import java.util.List;

/**
 * The discue admin routes under {@code /v1}: queues, webhook listeners and their attempt logs, API keys, API
 * clients (accounts), the audit trail of the caller's account, and backups of the whole instance (root keys).
 */
public final class DiscueApi {

  private DiscueApi() {
  }

  public static List<Routes> routes(QueueService queues, ListenerService listeners, ApiKeyService keys,
      AccountService accounts, AuditTrail audit, BackupService backups) {
    return List.of(
        new QueueRoutes(queues),
        new ListenerRoutes(listeners),
        new AttemptRoutes(listeners),
        new ApiKeyRoutes(keys),
        new ApiClientRoutes(accounts),
        new EventRoutes(audit),
        new BackupRoutes(backups));
  }
}

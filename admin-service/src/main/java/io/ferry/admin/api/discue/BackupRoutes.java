package io.ferry.admin.api.discue;

import io.ferry.admin.api.Routes;
import io.ferry.admin.core.BackupService;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.Authorization;
import io.ferry.contracts.runtime.DialectResponses;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

// POST /v1/backups {"name"?}: an online backup of the embedded stores under the backup root, for root keys
// (checked by the service). 201 with the manifest and where the backup is.
final class BackupRoutes implements Routes {

  private final BackupService backups;

  BackupRoutes(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public void mount(Router router, Authentication authentication) {
    router.post("/v1/backups").handler(authentication).handler(Authorization.authenticated()).handler(this::create);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = RequestBody.objectOrEmpty(ctx);
    String name = RequestBody.optionalString(body, "name", "name");
    backups.create(Authentication.requirePrincipal(ctx), name)
        .onSuccess(backup -> DialectResponses.discue(ctx, 201, new JsonObject().put("backup",
            backup.manifest().toJson().put("path", backup.directory().toString()).put("bytes", backup.bytes()))))
        .onFailure(ctx::fail);
  }
}

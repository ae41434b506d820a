package io.ferry.admin.api.cloudflare;

import io.ferry.admin.model.Account;
import io.vertx.core.json.JsonObject;

// The Cloudflare account object.
final class AccountJson {

  private AccountJson() {
  }

  // The SDK's Account requires a type; every Ferry account is a plain one.
  static JsonObject account(Account account) {
    return new JsonObject()
        .put("id", account.id())
        .put("name", account.name())
        .put("type", "standard")
        .put("created_on", QueueJson.time(account.createdAtMs()));
  }
}

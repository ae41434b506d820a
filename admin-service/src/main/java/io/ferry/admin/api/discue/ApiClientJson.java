package io.ferry.admin.api.discue;

import io.ferry.admin.core.AccountService;
import io.ferry.admin.model.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

// The discue api_client object: one Ferry account.
final class ApiClientJson {

  private ApiClientJson() {
  }

  static JsonObject client(Account account) {
    return new JsonObject().put("id", account.id()).put("name", account.name());
  }

  // The creation answer is the only one with the account's first key.
  static JsonObject created(AccountService.Created created) {
    return new JsonObject()
        .put("api_client", client(created.account()))
        .put("api_key", created.firstKey())
        .put("_links", Links.self("/v1/api_clients/" + created.account().id()));
  }

  static JsonObject clients(List<Account> accounts) {
    JsonArray items = new JsonArray();
    accounts.forEach(account -> items.add(client(account)));
    return new JsonObject().put("api_clients", items).put("_links", Links.self("/v1/api_clients"));
  }

  static JsonObject clientDocument(Account account) {
    return new JsonObject().put("api_client", client(account))
        .put("_links", Links.self("/v1/api_clients/" + account.id()));
  }
}

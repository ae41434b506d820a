package io.ferry.contracts.auth;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who is calling: the account every resource access is confined to, the subject (key id or JWT
 * {@code sub}), its scopes, and whether it may manage accounts ({@code root}).
 */
public record Principal(String accountId, String subject, List<String> scopes, boolean root)
    implements BusPayload {

  public Principal {
    scopes = List.copyOf(scopes);
  }

  /** Whether this principal may act on resources of {@code account}. */
  public boolean owns(String account) {
    return accountId.equals(account);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("accountId", accountId)
        .put("subject", subject)
        .put("scopes", new JsonArray(scopes))
        .put("root", root);
  }

  @SuppressWarnings("unchecked")
  public static Principal fromJson(JsonObject json) {
    return new Principal(json.getString("accountId"), json.getString("subject"),
        json.getJsonArray("scopes").getList(), json.getBoolean("root"));
  }
}

package io.ferry.admin.api.discue;

import io.ferry.admin.core.ApiKeyService;
import io.ferry.admin.model.ApiKey;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.runtime.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

// The discue api_key object (the key itself only in the creation answer), and the fields of key request bodies.
final class ApiKeyJson {

  private static final int MAX_NAME_LENGTH = 128;

  private ApiKeyJson() {
  }

  // A key as listed: never the key itself nor its hash. discue calls the name alias and writes scopes by
  // resource; Ferry's name and its complete scope list (ferry_scopes) are kept alongside.
  static JsonObject key(ApiKey key) {
    return new JsonObject()
        .put("id", key.id())
        .put("alias", key.name())
        .put("name", key.name())
        .put("status", key.status())
        .put("scopes", ScopeJson.renderDiscue(key.scopes()))
        .put("ferry_scopes", ScopeJson.render(key.scopes()));
  }

  static JsonObject created(ApiKeyService.Created created) {
    return new JsonObject()
        .put("api_key", key(created.key()).put("key", created.secret()))
        .put("_links", Links.self("/v1/api_keys/" + created.key().id()));
  }

  static JsonObject keys(List<ApiKey> keys) {
    JsonArray items = new JsonArray();
    keys.forEach(key -> items.add(key(key)));
    return new JsonObject().put("api_keys", items).put("_links", Links.self("/v1/api_keys"));
  }

  static JsonObject keyDocument(ApiKey key) {
    return new JsonObject().put("api_key", key(key)).put("_links", Links.self("/v1/api_keys/" + key.id()));
  }

  static JsonObject deleted(ApiKey key) {
    return new JsonObject().put("api_key", key(key));
  }

  // discue's field is alias; Ferry's name is accepted too (name wins when both are given).
  static String name(JsonObject body, boolean required) {
    String alias = RequestBody.optionalString(body, "alias", "alias");
    String name = required && alias == null ? RequestBody.requiredString(body, "name", "name")
        : RequestBody.optionalString(body, "name", "name");
    name = name != null ? name : alias;
    if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
      throw FerryException.invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    return name;
  }

  static String status(JsonObject body) {
    String status = RequestBody.optionalString(body, "status", "status");
    if (status != null && !status.equals(ApiKey.ENABLED) && !status.equals(ApiKey.DISABLED)) {
      throw FerryException.invalidField("status", "must be \"enabled\" or \"disabled\"");
    }
    return status;
  }
}

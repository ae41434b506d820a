package io.ferry.admin.api.discue;

import io.vertx.core.json.JsonObject;

// discue's HAL links.
final class Links {

  private Links() {
  }

  static JsonObject self(String href) {
    return new JsonObject().put("self", new JsonObject().put("href", href));
  }

  // A link to one listed item under its name, or under its id when another item has that name.
  static void link(JsonObject links, String name, String id, String href) {
    String key = name == null || links.containsKey(name) ? id : name;
    links.put(key, new JsonObject().put("href", href));
  }
}

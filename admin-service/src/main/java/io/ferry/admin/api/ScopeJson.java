package io.ferry.admin.api;

import io.ferry.admin.core.QueueNames;
import io.ferry.contracts.auth.Scope;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

// The readable wire form of a key's scopes, [{resource, access: ["read","write"], targets: ["*"|queue]}], to
// and from the flat Scope strings that are stored and checked.
final class ScopeJson {

  private static final int MAX_ITEMS = 100;
  private static final List<String> READ_WRITE = List.of(Scope.READ, Scope.WRITE);

  private ScopeJson() {
  }

  /** The scope strings {@code value} (the {@code scopes} field) grants; {@code null} when it is absent. */
  static List<String> parse(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray items)) {
      throw FerryException.invalidField("scopes", "must be an array of {resource, access, targets}");
    }
    if (items.size() > MAX_ITEMS) {
      throw FerryException.invalidField("scopes", "at most " + MAX_ITEMS + " entries");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "scopes[" + i + "]";
      Object item = items.getValue(i);
      if (item instanceof String text) {
        // The flat form is accepted too, for clients that already hold scope strings.
        if (Scope.parse(text) == null) {
          throw FerryException.invalidField(field, "is not a scope (resource:access:target)");
        }
        scopes.add(text);
      } else if (item instanceof JsonObject object) {
        scopes.addAll(flatten(object, field));
      } else {
        throw FerryException.invalidField(field, "must be an object {resource, access, targets}");
      }
    }
    return List.copyOf(scopes);
  }

  /** Stored scope strings in the readable form: one entry per resource and access, listing its targets. */
  static JsonArray render(List<String> scopes) {
    Map<String, List<String>> targets = new LinkedHashMap<>();
    for (String text : scopes) {
      Scope scope = Scope.parse(text);
      if (scope != null) {
        targets.computeIfAbsent(scope.resource() + ":" + scope.access(), k -> new ArrayList<>()).add(scope.target());
      }
    }
    JsonArray rendered = new JsonArray();
    targets.forEach((resourceAccess, list) -> {
      String[] parts = resourceAccess.split(":", 2);
      rendered.add(new JsonObject()
          .put("resource", parts[0])
          .put("access", new JsonArray(Scope.ANY.equals(parts[1]) ? READ_WRITE : List.of(parts[1])))
          .put("targets", new JsonArray(list)));
    });
    return rendered;
  }

  private static List<String> flatten(JsonObject object, String field) {
    Object resource = object.getValue("resource");
    if (!(resource instanceof String name) || !Scope.RESOURCES.contains(name)) {
      throw FerryException.invalidField(field + ".resource",
          "must be one of queues, messages, listeners, api_keys, events, sonya or *");
    }
    JsonArray access = array(object, "access", field + ".access", "\"read\" and/or \"write\"");
    Set<String> levels = new LinkedHashSet<>();
    for (int j = 0; j < access.size(); j++) {
      Object level = access.getValue(j);
      if (!(level instanceof String text) || !Scope.ACCESS.contains(text)) {
        throw FerryException.invalidField(field + ".access[" + j + "]", "must be \"read\" or \"write\"");
      }
      levels.add(text);
    }
    // Read and write together are every access there is.
    String accessPart = levels.contains(Scope.ANY) || levels.containsAll(READ_WRITE) ? Scope.ANY
        : levels.iterator().next();
    JsonArray targets = array(object, "targets", field + ".targets", "\"*\" or queue names or ids");
    List<String> flat = new ArrayList<>();
    for (int j = 0; j < targets.size(); j++) {
      Object target = targets.getValue(j);
      String targetField = field + ".targets[" + j + "]";
      if (!(target instanceof String text)) {
        throw FerryException.invalidField(targetField, "must be \"*\" or a queue name or id");
      }
      if (!Scope.ANY.equals(text)) {
        QueueNames.require(targetField, text);
      }
      flat.add(name + ":" + accessPart + ":" + text);
    }
    return flat;
  }

  private static JsonArray array(JsonObject object, String key, String field, String what) {
    Object value = object.getValue(key);
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw FerryException.invalidField(field, "must be a non-empty array of " + what);
    }
    if (array.size() > MAX_ITEMS) {
      throw FerryException.invalidField(field, "at most " + MAX_ITEMS + " entries");
    }
    return array;
  }
}

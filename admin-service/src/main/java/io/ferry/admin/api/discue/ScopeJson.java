package io.ferry.admin.api.discue;

import io.ferry.admin.core.QueueNames;
import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Resource;
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
import java.util.stream.Stream;

// The readable wire forms of a key's scopes to and from the flat Scope strings that are stored and checked:
// Ferry's [{resource, access: ["read","write"], targets: ["*"|queue]}] and discue's {resource: {access, targets}},
// whose access is a level ("read", or "write" which includes reading).
final class ScopeJson {

  private static final String DISCUE_READ = "read";
  private static final String DISCUE_WRITE = "write";
  // The resources a wildcard grant shows as in discue's form, which has no wildcard resource.
  private static final List<String> DISCUE_RESOURCES = Stream.of(Resource.QUEUES, Resource.MESSAGES,
      Resource.LISTENERS, Resource.API_KEYS, Resource.EVENTS).map(Resource::wire).toList();

  private static final int MAX_ITEMS = 100;
  private static final List<String> READ_WRITE = List.of(Access.READ.wire(), Access.WRITE.wire());

  private ScopeJson() {
  }

  /** The scope strings {@code value} (the {@code scopes} field) grants; {@code null} when it is absent. */
  static List<String> parse(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject byResource) {
      return parseDiscue(byResource);
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

  // discue's {resource: {access?: "read"|"write", targets?: [...]}}: access defaults to write, and no or
  // empty targets mean every queue, as discue documents.
  private static List<String> parseDiscue(JsonObject byResource) {
    if (byResource.size() > MAX_ITEMS) {
      throw FerryException.invalidField("scopes", "at most " + MAX_ITEMS + " entries");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String resource : byResource.fieldNames()) {
      String field = "scopes." + resource;
      if (!(byResource.getValue(resource) instanceof JsonObject grant)) {
        throw FerryException.invalidField(field, "must be an object {access, targets}");
      }
      JsonObject entry = grant.copy().put("resource", resource);
      if (entry.getValue("access") == null) {
        entry.put("access", DISCUE_WRITE);
      }
      if (!(entry.getValue("targets") instanceof JsonArray targets) || targets.isEmpty()) {
        if (entry.getValue("targets") != null && !(entry.getValue("targets") instanceof JsonArray)) {
          throw FerryException.invalidField(field + ".targets", "must be an array of \"*\" or queue names or ids");
        }
        entry.put("targets", new JsonArray().add(Scope.ANY));
      }
      scopes.addAll(flatten(entry, field));
    }
    return List.copyOf(scopes);
  }

  /**
   * The scopes in discue's form. A resource whose grants discue cannot express (write without read, or
   * different access levels for different targets) is left out; Ferry's form shows it.
   */
  static JsonObject renderDiscue(List<String> scopes) {
    Map<String, String> levels = new LinkedHashMap<>();
    Map<String, Set<String>> targets = new LinkedHashMap<>();
    Set<String> inexpressible = new LinkedHashSet<>();
    for (String text : scopes) {
      Scope scope = Scope.parse(text);
      if (scope == null) {
        continue;
      }
      String level = Scope.ANY.equals(scope.access()) ? DISCUE_WRITE
          : Access.READ.wire().equals(scope.access()) ? DISCUE_READ : null;
      List<String> resources = Scope.ANY.equals(scope.resource()) ? DISCUE_RESOURCES : List.of(scope.resource());
      for (String resource : resources) {
        String before = levels.putIfAbsent(resource, level == null ? "" : level);
        if (level == null || (before != null && !before.equals(level))) {
          inexpressible.add(resource);
        }
        targets.computeIfAbsent(resource, k -> new LinkedHashSet<>()).add(scope.target());
      }
    }
    JsonObject rendered = new JsonObject();
    levels.forEach((resource, level) -> {
      if (!inexpressible.contains(resource)) {
        rendered.put(resource, new JsonObject().put("access", level)
            .put("targets", new JsonArray(new ArrayList<>(targets.get(resource)))));
      }
    });
    return rendered;
  }

  private static List<String> flatten(JsonObject object, String field) {
    Object resource = object.getValue("resource");
    if (!(resource instanceof String name) || !Scope.RESOURCES.contains(name)) {
      throw FerryException.invalidField(field + ".resource",
          "must be one of queues, messages, listeners, api_keys, events, sonya or *");
    }
    // A single string is discue's access level: "write" includes reading.
    if (object.getValue("access") instanceof String level) {
      if (!level.equals(DISCUE_READ) && !level.equals(DISCUE_WRITE)) {
        throw FerryException.invalidField(field + ".access", "must be \"read\" or \"write\"");
      }
      object = object.copy().put("access", level.equals(DISCUE_READ) ? new JsonArray().add(Access.READ.wire())
          : new JsonArray(READ_WRITE));
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

package io.ferry.contracts.schema;

import io.vertx.core.json.JsonObject;
import java.util.Map;

// An object: declared properties in declaration order, then (when strict) no undeclared ones.
record ObjectNode(boolean required, Map<String, SchemaNode> props, boolean strict) implements SchemaNode {

  @Override
  @SuppressWarnings("unchecked")
  public String check(Object value, ValuePath path, MatchBudget budget) {
    JsonObject object = value instanceof JsonObject json ? json
        : value instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : null;
    if (object == null) {
      return path.violation("must be an object");
    }
    for (Map.Entry<String, SchemaNode> prop : props.entrySet()) {
      Object member = object.getValue(prop.getKey());
      SchemaNode node = prop.getValue();
      if (member == null) {
        if (node.required()) {
          return path.property(prop.getKey()).violation("is required");
        }
        continue;
      }
      String violation = node.check(member, path.property(prop.getKey()), budget);
      if (violation != null) {
        return violation;
      }
    }
    if (strict) {
      for (String name : object.fieldNames()) {
        if (!props.containsKey(name)) {
          return path.property(name).violation("is not allowed");
        }
      }
    }
    return null;
  }
}

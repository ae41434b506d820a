package io.ferry.contracts.schema;

import io.vertx.core.json.JsonArray;
import java.util.List;

// An array: its length within min..max, then every item against items (null items: any item).
record ArrayNode(boolean required, SchemaNode items, Integer min, Integer max) implements SchemaNode {

  @Override
  public String check(Object value, ValuePath path, MatchBudget budget) {
    JsonArray array = value instanceof JsonArray json ? json
        : value instanceof List<?> list ? new JsonArray(list) : null;
    if (array == null) {
      return path.violation("must be an array");
    }
    if (min != null && array.size() < min) {
      return path.violation("must have at least " + min + " items");
    }
    if (max != null && array.size() > max) {
      return path.violation("must have at most " + max + " items");
    }
    if (items != null) {
      for (int i = 0; i < array.size(); i++) {
        String violation = items.check(array.getValue(i), path.item(i), budget);
        if (violation != null) {
          return violation;
        }
      }
    }
    return null;
  }
}

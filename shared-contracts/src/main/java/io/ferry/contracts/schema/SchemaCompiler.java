package io.ferry.contracts.schema;

import io.ferry.contracts.error.FerryException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

// Checks a schema as the client sent it and builds its nodes; every error names the path inside the schema.
final class SchemaCompiler {

  static final int MAX_PATTERN_LENGTH = 1000;
  static final int MAX_ENUM_VALUES = 1000;

  private static final List<String> TYPES = List.of("object", "array", "string", "number", "integer",
      "boolean", "any");
  private static final Map<String, List<String>> KEYWORDS = Map.of(
      "object", List.of("type", "required", "props", "strict"),
      "array", List.of("type", "required", "items", "min", "max"),
      "string", List.of("type", "required", "pattern", "enum", "min", "max"),
      "number", List.of("type", "required", "min", "max"),
      "integer", List.of("type", "required", "min", "max"),
      "boolean", List.of("type", "required"),
      "any", List.of("type", "required"));

  private int nodes;

  SchemaNode compile(JsonObject schema) {
    return node(schema, "schema", 1);
  }

  private SchemaNode node(Object value, String path, int depth) {
    if (!(value instanceof JsonObject node)) {
      throw FerryException.invalidField(path, "must be an object");
    }
    if (depth > MessageSchema.MAX_DEPTH) {
      throw FerryException.invalidField(path, "is nested deeper than " + MessageSchema.MAX_DEPTH + " levels");
    }
    if (++nodes > MessageSchema.MAX_NODES) {
      throw FerryException.invalidField(path, "makes the schema larger than " + MessageSchema.MAX_NODES
          + " nodes");
    }
    String type = type(node, path);
    List<String> keywords = KEYWORDS.get(type);
    for (String key : node.fieldNames()) {
      if (!keywords.contains(key)) {
        throw FerryException.invalidField(path + "." + key, "is not a keyword of type " + type
            + " (allowed: " + String.join(", ", keywords) + ")");
      }
    }
    boolean required = bool(node, "required", path);
    return switch (type) {
      case "object" -> new ObjectNode(required, props(node, path, depth), bool(node, "strict", path));
      case "array" -> array(node, path, depth, required);
      case "string" -> string(node, path, required);
      case "number", "integer" -> number(node, path, required, type.equals("integer"));
      case "boolean" -> new SchemaNode.BooleanNode(required);
      default -> new SchemaNode.AnyNode(required);
    };
  }

  private static String type(JsonObject node, String path) {
    Object type = node.getValue("type");
    if (type == null) {
      throw FerryException.invalidField(path + ".type", "is required");
    }
    if (!(type instanceof String name) || !TYPES.contains(name)) {
      throw FerryException.invalidField(path + ".type", "must be one of " + String.join(", ", TYPES));
    }
    return name;
  }

  private Map<String, SchemaNode> props(JsonObject node, String path, int depth) {
    Object value = node.getValue("props");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject props)) {
      throw FerryException.invalidField(path + ".props", "must be an object of property schemas");
    }
    Map<String, SchemaNode> compiled = new LinkedHashMap<>();
    for (String name : props.fieldNames()) {
      compiled.put(name, node(props.getValue(name), path + ".props." + name, depth + 1));
    }
    return Collections.unmodifiableMap(compiled);
  }

  private SchemaNode array(JsonObject node, String path, int depth, boolean required) {
    Object items = node.getValue("items");
    SchemaNode itemNode = items == null ? null : node(items, path + ".items", depth + 1);
    Integer min = length(node, "min", path);
    Integer max = length(node, "max", path);
    checkOrder(min == null ? null : BigDecimal.valueOf(min), max == null ? null : BigDecimal.valueOf(max), path);
    return new ArrayNode(required, itemNode, min, max);
  }

  private static SchemaNode string(JsonObject node, String path, boolean required) {
    Integer min = length(node, "min", path);
    Integer max = length(node, "max", path);
    checkOrder(min == null ? null : BigDecimal.valueOf(min), max == null ? null : BigDecimal.valueOf(max), path);
    return new StringNode(required, min, max, pattern(node, path), allowed(node, path));
  }

  private static SchemaNode number(JsonObject node, String path, boolean required, boolean integer) {
    BigDecimal min = bound(node, "min", path);
    BigDecimal max = bound(node, "max", path);
    checkOrder(min, max, path);
    return new NumberNode(required, integer, min, max);
  }

  private static Pattern pattern(JsonObject node, String path) {
    Object value = node.getValue("pattern");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String regex)) {
      throw FerryException.invalidField(path + ".pattern", "must be a string");
    }
    if (regex.length() > MAX_PATTERN_LENGTH) {
      throw FerryException.invalidField(path + ".pattern", "must be at most " + MAX_PATTERN_LENGTH
          + " characters");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw FerryException.invalidField(path + ".pattern", "is not a valid regular expression ("
          + e.getDescription() + " near index " + e.getIndex() + ")");
    }
  }

  private static Set<String> allowed(JsonObject node, String path) {
    Object value = node.getValue("enum");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray values) || values.isEmpty()) {
      throw FerryException.invalidField(path + ".enum", "must be a non-empty array of strings");
    }
    if (values.size() > MAX_ENUM_VALUES) {
      throw FerryException.invalidField(path + ".enum", "must have at most " + MAX_ENUM_VALUES + " values");
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (!(values.getValue(i) instanceof String text)) {
        throw FerryException.invalidField(path + ".enum[" + i + "]", "must be a string");
      }
      allowed.add(text);
    }
    return Collections.unmodifiableSet(allowed);
  }

  private static boolean bool(JsonObject node, String key, String path) {
    Object value = node.getValue(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean flag)) {
      throw FerryException.invalidField(path + "." + key, "must be true or false");
    }
    return flag;
  }

  // A length bound (array items, string characters): a whole number from 0.
  private static Integer length(JsonObject node, String key, String path) {
    Object value = node.getValue(key);
    if (value == null) {
      return null;
    }
    BigDecimal number = value instanceof Number n ? NumberNode.decimal(n) : null;
    if (number == null || number.signum() < 0 || (number.signum() != 0 && number.stripTrailingZeros().scale() > 0)
        || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw FerryException.invalidField(path + "." + key, "must be a whole number from 0 to " + Integer.MAX_VALUE);
    }
    return number.intValue();
  }

  private static BigDecimal bound(JsonObject node, String key, String path) {
    Object value = node.getValue(key);
    if (value == null) {
      return null;
    }
    BigDecimal number = value instanceof Number n ? NumberNode.decimal(n) : null;
    if (number == null) {
      throw FerryException.invalidField(path + "." + key, "must be a number");
    }
    return number;
  }

  private static void checkOrder(BigDecimal min, BigDecimal max, String path) {
    if (min != null && max != null && max.compareTo(min) < 0) {
      throw FerryException.invalidField(path + ".max", "must not be less than min (" + NumberNode.text(min) + ")");
    }
  }
}

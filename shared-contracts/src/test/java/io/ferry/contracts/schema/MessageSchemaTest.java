package io.ferry.contracts.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageSchemaTest {

  private static MessageSchema schema(String json) {
    return MessageSchema.compile(new JsonObject(json));
  }

  private static String check(String schema, String value) {
    return schema(schema).validate(Json.decodeValue(value));
  }

  private static final String PERSON = """
      {"type": "object", "strict": true, "props": {
        "name": {"type": "string", "required": true, "min": 1, "max": 5},
        "age": {"type": "integer", "min": 0, "max": 150},
        "score": {"type": "number", "min": -1.5, "max": 2.5},
        "active": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "min": 1, "max": 2},
        "address": {"type": "object", "props": {
          "zip": {"type": "string", "pattern": "^[0-9]{5}$", "required": true}}},
        "extra": {"type": "any"}}}""";

  @Test
  void aMatchingMessageHasNoViolation() {
    assertNull(check(PERSON, """
        {"name": "Ann", "age": 30, "score": 2.5, "active": true, "tags": ["a", "b"],
         "address": {"zip": "12345", "city": "x"}, "extra": [1, {"any": null}]}"""));
    assertNull(check(PERSON, "{\"name\": \"Bo\"}"));
  }

  @Test
  void objectViolations() {
    assertEquals("$: must be an object", check(PERSON, "[]"));
    assertEquals("$: must be an object", check(PERSON, "null"));
    assertEquals("$.name: is required", check(PERSON, "{}"));
    assertEquals("$.name: is required", check(PERSON, "{\"name\": null}"));
    assertEquals("$.unknown: is not allowed", check(PERSON, "{\"name\": \"x\", \"unknown\": 1}"));
    assertEquals("$[\"odd key\"]: is not allowed", check(PERSON, "{\"name\": \"x\", \"odd key\": 1}"));
    assertEquals("$.address.zip: is required", check(PERSON, "{\"name\": \"x\", \"address\": {}}"));
    // Not strict: unknown properties pass; without props any object passes.
    assertNull(check("{\"type\": \"object\", \"props\": {\"a\": {\"type\": \"any\"}}}", "{\"b\": 1}"));
    assertNull(check("{\"type\": \"object\"}", "{\"b\": 1}"));
    assertEquals("$.b: is not allowed", check("{\"type\": \"object\", \"strict\": true}", "{\"b\": 1}"));
    // An optional property given as null counts as absent.
    assertNull(check(PERSON, "{\"name\": \"x\", \"age\": null}"));
  }

  @Test
  void stringViolations() {
    assertEquals("$.name: must be a string", check(PERSON, "{\"name\": 5}"));
    assertEquals("$.name: must be at least 1 characters long", check(PERSON, "{\"name\": \"\"}"));
    assertEquals("$.name: must be at most 5 characters long", check(PERSON, "{\"name\": \"abcdef\"}"));
    // Length counts code points: five emoji are five characters.
    assertNull(check(PERSON, "{\"name\": \"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"}"));
    assertEquals("$.address.zip: does not match pattern ^[0-9]{5}$",
        check(PERSON, "{\"name\": \"x\", \"address\": {\"zip\": \"1234\"}}"));
    assertEquals("$.tags[1]: must be one of [\"a\",\"b\"]", check(PERSON, "{\"name\": \"x\", \"tags\": [\"a\", \"c\"]}"));
    assertEquals("$.tags[0]: must be a string", check(PERSON, "{\"name\": \"x\", \"tags\": [null]}"));
  }

  @Test
  void patternIsFoundAnywhereUnlessAnchored() {
    assertNull(check("{\"type\": \"string\", \"pattern\": \"[0-9]+\"}", "\"abc123def\""));
    assertEquals("$: does not match pattern [0-9]+", check("{\"type\": \"string\", \"pattern\": \"[0-9]+\"}", "\"abc\""));
    assertEquals("$: does not match pattern ^[0-9]+$",
        check("{\"type\": \"string\", \"pattern\": \"^[0-9]+$\"}", "\"abc123\""));
  }

  @Test
  void longEnumListsAreShortenedInTheMessage() {
    JsonArray values = new JsonArray();
    for (int i = 0; i < 12; i++) {
      values.add("v" + i);
    }
    MessageSchema schema = MessageSchema.compile(new JsonObject().put("type", "string").put("enum", values));
    assertEquals("$: must be one of [\"v0\",\"v1\",\"v2\",\"v3\",\"v4\",\"v5\",\"v6\",\"v7\",\"v8\",\"v9\",...]"
        + " (12 values)", schema.validate("x"));
    assertNull(schema.validate("v11"));
  }

  @Test
  void numberAndIntegerViolations() {
    assertEquals("$.age: must be an integer", check(PERSON, "{\"name\": \"x\", \"age\": 1.5}"));
    assertEquals("$.age: must be an integer", check(PERSON, "{\"name\": \"x\", \"age\": \"1\"}"));
    assertNull(check(PERSON, "{\"name\": \"x\", \"age\": 2.0}"));
    assertEquals("$.age: must be at least 0", check(PERSON, "{\"name\": \"x\", \"age\": -1}"));
    assertEquals("$.age: must be at most 150", check(PERSON, "{\"name\": \"x\", \"age\": 151}"));
    assertEquals("$.score: must be a number", check(PERSON, "{\"name\": \"x\", \"score\": true}"));
    assertEquals("$.score: must be at least -1.5", check(PERSON, "{\"name\": \"x\", \"score\": -1.6}"));
    assertEquals("$.score: must be at most 2.5", check(PERSON, "{\"name\": \"x\", \"score\": 2.51}"));
    assertNull(check(PERSON, "{\"name\": \"x\", \"score\": -1.5}"));
    // Large numbers compare exactly.
    assertEquals("$: must be at most 9007199254740992",
        check("{\"type\": \"integer\", \"max\": 9007199254740992}", "9007199254740993"));
    assertNull(check("{\"type\": \"number\", \"min\": 1e-3}", "0.001"));
  }

  @Test
  void booleanAndArrayViolations() {
    assertEquals("$.active: must be a boolean", check(PERSON, "{\"name\": \"x\", \"active\": \"yes\"}"));
    assertEquals("$.tags: must be an array", check(PERSON, "{\"name\": \"x\", \"tags\": \"a\"}"));
    assertEquals("$.tags: must have at least 1 items", check(PERSON, "{\"name\": \"x\", \"tags\": []}"));
    assertEquals("$.tags: must have at most 2 items", check(PERSON, "{\"name\": \"x\", \"tags\": [\"a\",\"a\",\"a\"]}"));
    assertNull(check("{\"type\": \"array\"}", "[1, \"two\", null]"));
    assertEquals("$[1][0]: must be a number",
        check("{\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"number\"}}}",
            "[[1], [\"x\"]]"));
  }

  @Test
  void anyAcceptsEverythingIncludingNull() {
    MessageSchema any = schema("{\"type\": \"any\"}");
    for (Object value : new Object[] {null, "s", 1, true, new JsonObject(), new JsonArray()}) {
      assertNull(any.validate(value));
    }
  }

  @Test
  void theFirstViolationInDeclarationOrderIsReported() {
    assertEquals("$.name: must be a string", check(PERSON, "{\"age\": -1, \"name\": 3, \"zzz\": 1}"));
  }

  @Test
  void plainMapsAndListsAreAcceptedAsJsonValues() {
    assertEquals("$.tags[0]: must be one of [\"a\",\"b\"]",
        schema(PERSON).validate(Map.of("name", "x", "tags", List.of("z"))));
  }

  @Test
  void textMessagesAreCheckedAsStrings() {
    MessageSchema text = schema("{\"type\": \"string\", \"enum\": [\"on\", \"off\"]}");
    assertNull(text.validate("on"));
    assertEquals("$: must be one of [\"on\",\"off\"]", text.validate("dim"));
  }

  @Test
  void catastrophicPatternsAreBoundedInsteadOfStallingTheCaller() {
    // Unbounded, this takes Java's regex engine minutes (polynomial backtracking, not memoized).
    MessageSchema evil = schema("{\"type\": \"string\", \"pattern\": \"a*a*a*a*a*b\"}");
    String attack = "a".repeat(200);
    String violation = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> evil.validate(attack));
    assertEquals("$: is too costly to match against pattern a*a*a*a*a*b", violation);
    assertNull(evil.validate("aaaab"));
  }

  // ---- errors in the schema itself: each names the path inside the schema

  private static String schemaError(String json) {
    return assertThrows(io.ferry.contracts.error.FerryException.class,
        () -> MessageSchema.compile(json == null ? null : new JsonObject(json))).getMessage();
  }

  @Test
  void schemaErrorsNameThePath() {
    assertEquals("schema: must be an object", schemaError(null));
    assertEquals("schema.type: is required", schemaError("{}"));
    assertEquals("schema.type: must be one of object, array, string, number, integer, boolean, any",
        schemaError("{\"type\": \"date\"}"));
    assertEquals("schema.type: must be one of object, array, string, number, integer, boolean, any",
        schemaError("{\"type\": 1}"));
    assertEquals("schema.props.age.min: must be a number",
        schemaError("{\"type\": \"object\", \"props\": {\"age\": {\"type\": \"number\", \"min\": \"0\"}}}"));
    assertEquals("schema.props.age.max: must be a number",
        schemaError("{\"type\": \"object\", \"props\": {\"age\": {\"type\": \"integer\", \"max\": [1]}}}"));
    assertEquals("schema.props.age.max: must not be less than min (5)",
        schemaError("{\"type\": \"object\", \"props\": {\"age\": {\"type\": \"number\", \"min\": 5, \"max\": 4}}}"));
    assertEquals("schema.props.a: must be an object", schemaError("{\"type\": \"object\", \"props\": {\"a\": \"string\"}}"));
    assertEquals("schema.props: must be an object of property schemas", schemaError("{\"type\": \"object\", \"props\": []}"));
    assertEquals("schema.strict: must be true or false", schemaError("{\"type\": \"object\", \"strict\": \"yes\"}"));
    assertEquals("schema.required: must be true or false", schemaError("{\"type\": \"any\", \"required\": 1}"));
    assertEquals("schema.items: must be an object", schemaError("{\"type\": \"array\", \"items\": \"string\"}"));
    assertEquals("schema.items.type: is required", schemaError("{\"type\": \"array\", \"items\": {}}"));
  }

  @Test
  void unknownKeywordsAreRefusedNamingTheAllowedOnes() {
    assertEquals("schema.props.n.pattern: is not a keyword of type number (allowed: type, required, min, max)",
        schemaError("{\"type\": \"object\", \"props\": {\"n\": {\"type\": \"number\", \"pattern\": \"x\"}}}"));
    assertEquals("schema.optional: is not a keyword of type boolean (allowed: type, required)",
        schemaError("{\"type\": \"boolean\", \"optional\": true}"));
    assertEquals("schema.items: is not a keyword of type object (allowed: type, required, props, strict)",
        schemaError("{\"type\": \"object\", \"items\": {}}"));
    assertEquals("schema.min: is not a keyword of type any (allowed: type, required)",
        schemaError("{\"type\": \"any\", \"min\": 1}"));
  }

  @Test
  void lengthBoundsMustBeWholeNonNegativeNumbers() {
    String message = "must be a whole number from 0 to 2147483647";
    assertEquals("schema.min: " + message, schemaError("{\"type\": \"string\", \"min\": -1}"));
    assertEquals("schema.max: " + message, schemaError("{\"type\": \"string\", \"max\": 1.5}"));
    assertEquals("schema.min: " + message, schemaError("{\"type\": \"array\", \"min\": \"1\"}"));
    assertEquals("schema.max: " + message, schemaError("{\"type\": \"array\", \"max\": 3000000000}"));
    assertEquals("schema.max: must not be less than min (3)", schemaError("{\"type\": \"array\", \"min\": 3, \"max\": 2}"));
    assertEquals("schema.max: must not be less than min (3)", schemaError("{\"type\": \"string\", \"min\": 3, \"max\": 2}"));
    assertNull(check("{\"type\": \"string\", \"min\": 2.0, \"max\": 2}", "\"ab\""));
  }

  @Test
  void stringKeywordErrors() {
    assertEquals("schema.pattern: must be a string", schemaError("{\"type\": \"string\", \"pattern\": 5}"));
    assertEquals("schema.pattern: is not a valid regular expression (Unclosed group near index 4)",
        schemaError("{\"type\": \"string\", \"pattern\": \"(abc\"}"));
    assertEquals("schema.pattern: must be at most 1000 characters",
        schemaError(new JsonObject().put("type", "string").put("pattern", "a".repeat(1001)).encode()));
    assertEquals("schema.enum: must be a non-empty array of strings", schemaError("{\"type\": \"string\", \"enum\": []}"));
    assertEquals("schema.enum: must be a non-empty array of strings", schemaError("{\"type\": \"string\", \"enum\": \"a\"}"));
    assertEquals("schema.enum[1]: must be a string", schemaError("{\"type\": \"string\", \"enum\": [\"a\", 2]}"));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 1000; i++) {
      tooMany.add("v" + i);
    }
    assertEquals("schema.enum: must have at most 1000 values",
        schemaError(new JsonObject().put("type", "string").put("enum", tooMany).encode()));
  }

  @Test
  void depthAndSizeAreBounded() {
    JsonObject deep = new JsonObject().put("type", "any");
    for (int i = 1; i < MessageSchema.MAX_DEPTH; i++) {
      deep = new JsonObject().put("type", "array").put("items", deep);
    }
    MessageSchema.compile(deep);
    JsonObject tooDeep = new JsonObject().put("type", "array").put("items", deep);
    String error = schemaError(tooDeep.encode());
    assertEquals("schema" + ".items".repeat(32) + ": is nested deeper than 32 levels", error);

    JsonObject props = new JsonObject();
    for (int i = 0; i < MessageSchema.MAX_NODES - 1; i++) {
      props.put("p" + i, new JsonObject().put("type", "boolean"));
    }
    MessageSchema.compile(new JsonObject().put("type", "object").put("props", props));
    props.put("one_more", new JsonObject().put("type", "boolean"));
    assertEquals("schema.props.one_more: makes the schema larger than 1000 nodes",
        schemaError(new JsonObject().put("type", "object").put("props", props).encode()));
  }
}

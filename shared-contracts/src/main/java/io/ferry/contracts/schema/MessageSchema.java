package io.ferry.contracts.schema;

import io.vertx.core.json.JsonObject;

/**
 * A compiled discue message schema (docs/compatibility.md): the shape every message pushed to a queue must have.
 *
 * <p>A schema is a node {@code {"type": T, "required"?: bool, ...}} where T is {@code object} (with
 * {@code props: {name: node}} and {@code strict}: unknown properties refused), {@code array} (with
 * {@code items: node} and {@code min}/{@code max} length), {@code string} (with {@code pattern},
 * {@code enum: [str]} and {@code min}/{@code max} length in Unicode code points), {@code number} or
 * {@code integer} (with {@code min}/{@code max} value), {@code boolean} or {@code any}. {@code required}
 * (default false) only matters for a property: it must then be present. A property whose value is JSON
 * {@code null} counts as absent. {@code integer} accepts any number with no fractional part ({@code 2.0}).
 * {@code pattern} is a Java regular expression that must match <em>somewhere</em> in the string
 * ({@link java.util.regex.Matcher#find()}, as JSON Schema and JavaScript's {@code RegExp.test} do): anchor it
 * with {@code ^...$} to match the whole string.
 *
 * <p>Cost is bounded: a schema has at most {@value #MAX_NODES} nodes nested at most {@value #MAX_DEPTH}
 * deep, its regular expressions are compiled once, and matching them against one message may read at most
 * {@value #MAX_MATCH_STEPS} characters (a pattern that backtracks past that is a violation, so that a
 * pathological pattern cannot stall the caller). Instances are immutable and safe to share across threads.
 */
public final class MessageSchema {

  public static final int MAX_DEPTH = 32;
  public static final int MAX_NODES = 1000;
  public static final long MAX_MATCH_STEPS = 1_000_000;

  private final SchemaNode root;

  private MessageSchema(SchemaNode root) {
    this.root = root;
  }

  /**
   * Compiles a schema, checking the schema itself: an unknown type or keyword, a keyword of the wrong type, a
   * regular expression that does not compile, {@code min} above {@code max}, or a schema over the size
   * bounds fails with {@code FerryException(INVALID_FIELD)} whose field is the path inside the schema, e.g.
   * {@code schema.props.age.min: must be a number} (a {@link io.ferry.contracts.error.FerryException}).
   */
  public static MessageSchema compile(JsonObject schema) {
    return new MessageSchema(new SchemaCompiler().compile(schema));
  }

  /**
   * Checks one message's JSON value (a JsonObject, JsonArray, String, Number, Boolean or {@code null}).
   * Returns the first violation as {@code "<path>: <reason>"}, e.g.
   * {@code $.address.zip: does not match pattern ^[0-9]{5}$}, where the path starts at {@code $} (the
   * message), or {@code null} when the value matches.
   */
  public String validate(Object jsonValue) {
    return root.check(jsonValue, ValuePath.ROOT, new MatchBudget(MAX_MATCH_STEPS));
  }
}

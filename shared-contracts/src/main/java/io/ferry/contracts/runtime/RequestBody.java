package io.ferry.contracts.runtime;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reads request bodies, their fields and query parameters with the checks every route needs. Each problem
 * is a {@link FerryException} naming the field by its path in the body (e.g. {@code messages[2].delay_seconds}),
 * which the dialect's error format then carries.
 */
public final class RequestBody {

  private RequestBody() {
  }

  /** The body as a JSON object; an empty body is refused, for routes that have required fields. */
  public static JsonObject object(RoutingContext ctx) {
    JsonObject body = decode(ctx);
    if (body == null) {
      throw new FerryException(ErrorCode.MALFORMED_JSON, "a JSON object request body is required");
    }
    return body;
  }

  /** The body as a JSON object; an empty body reads as {@code {}}, for routes whose fields are all optional. */
  public static JsonObject objectOrEmpty(RoutingContext ctx) {
    JsonObject body = decode(ctx);
    return body == null ? new JsonObject() : body;
  }

  private static JsonObject decode(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new FerryException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw new FerryException(ErrorCode.INVALID_FIELD, "request body must be a JSON object");
    }
    return object;
  }

  /** A failure naming the field at {@code path}. */
  public static FerryException invalid(ErrorCode code, String path, String problem) {
    return new FerryException(code, path + ": " + problem, path);
  }

  public static String optionalString(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be a string");
    }
    return text;
  }

  public static String requiredString(JsonObject json, String field, String path) {
    String value = optionalString(json, field, path);
    if (value == null) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "is required");
    }
    return value;
  }

  /**
   * A whole number in {@code [min, max]}, {@code defaultValue} when absent. The problem names the rule broken
   * (a number, whole, in range) without repeating the value, as the admin routes have always answered.
   */
  public static int integer(JsonObject json, String field, String path, int min, int max, int defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be a number");
    }
    double asDouble = number.doubleValue();
    if (Double.isNaN(asDouble) || asDouble != Math.rint(asDouble)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be a whole number");
    }
    if (asDouble < min || asDouble > max) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be between " + min + " and " + max);
    }
    return (int) asDouble;
  }

  public static Integer optionalInt(JsonObject json, String field, String path, int min, int max, ErrorCode code) {
    Long value = optionalLong(json, field, path, min, max, code);
    return value == null ? null : value.intValue();
  }

  public static Long optionalLong(JsonObject json, String field, String path, long min, long max, ErrorCode code) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || !isWhole(number)) {
      throw invalid(code, path, "must be a whole number between " + min + " and " + max);
    }
    BigDecimal exact = new BigDecimal(number.toString());
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(code, path, "must be between " + min + " and " + max + ", got " + number);
    }
    return exact.longValueExact();
  }

  public static boolean bool(JsonObject json, String field, String path, boolean defaultValue) {
    Object value = json.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean flag)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be true or false");
    }
    return flag;
  }

  /** A nested object, {@code {}} when absent. */
  public static JsonObject object(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be an object");
    }
    return object;
  }

  public static JsonArray optionalArray(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be an array");
    }
    return array;
  }

  public static JsonObject objectAt(JsonArray array, int index, String path) {
    Object value = array.getValue(index);
    if (!(value instanceof JsonObject object)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be an object");
    }
    return object;
  }

  /** A whole-number query parameter in {@code [min, max]}, {@code defaultValue} when absent or empty. */
  public static int queryInteger(RoutingContext ctx, String name, int min, int max, int defaultValue) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException notANumber) {
      // reported below, like an out-of-range number
    }
    throw FerryException.invalidField(name, "must be a whole number between " + min + " and " + max);
  }

  private static boolean isWhole(Number number) {
    if (number instanceof Integer || number instanceof Long || number instanceof Short
        || number instanceof Byte || number instanceof BigInteger) {
      return true;
    }
    if (number instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().scale() <= 0;
    }
    double value = number.doubleValue();
    return Double.isFinite(value) && value == Math.rint(value);
  }
}

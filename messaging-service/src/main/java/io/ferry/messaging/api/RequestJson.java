package io.ferry.messaging.api;

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
 * Reads request bodies and their fields with the checks every route needs; each failure is a
 * {@link FerryException} naming the field by its path in the body (e.g. {@code messages[2].delay_seconds}).
 */
final class RequestJson {

  private RequestJson() {
  }

  // An empty body reads as {}: routes whose fields are all optional accept it.
  static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return new JsonObject();
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

  static FerryException invalid(ErrorCode code, String path, String problem) {
    return new FerryException(code, path + ": " + problem, path);
  }

  static String optionalString(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be a string");
    }
    return text;
  }

  static String requiredString(JsonObject json, String field, String path) {
    String value = optionalString(json, field, path);
    if (value == null) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "is required");
    }
    return value;
  }

  static Integer optionalInt(JsonObject json, String field, String path, int min, int max, ErrorCode code) {
    Long value = optionalLong(json, field, path, min, max, code);
    return value == null ? null : value.intValue();
  }

  static Long optionalLong(JsonObject json, String field, String path, long min, long max, ErrorCode code) {
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

  static JsonArray optionalArray(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be an array");
    }
    return array;
  }

  static JsonObject objectAt(JsonArray array, int index, String path) {
    Object value = array.getValue(index);
    if (!(value instanceof JsonObject object)) {
      throw invalid(ErrorCode.INVALID_FIELD, path, "must be an object");
    }
    return object;
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

package io.ferry.admin.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

// Reading request bodies and their fields; every problem is a FerryException naming the field.
final class RequestBodies {

  private RequestBodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new FerryException(ErrorCode.MALFORMED_JSON, "a JSON object request body is required");
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

  static String string(JsonObject json, String key, String field, boolean required) {
    Object value = json.getValue(key);
    if (value == null) {
      if (required) {
        throw FerryException.invalidField(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String text)) {
      throw FerryException.invalidField(field, "must be a string");
    }
    return text;
  }

  static int integer(JsonObject json, String key, String field, int min, int max, int defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)) {
      throw FerryException.invalidField(field, "must be a number");
    }
    double asDouble = number.doubleValue();
    if (Double.isNaN(asDouble) || asDouble != Math.rint(asDouble)) {
      throw FerryException.invalidField(field, "must be a whole number");
    }
    if (asDouble < min || asDouble > max) {
      throw FerryException.invalidField(field, "must be between " + min + " and " + max);
    }
    return (int) asDouble;
  }

  static boolean bool(JsonObject json, String key, String field, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean flag)) {
      throw FerryException.invalidField(field, "must be true or false");
    }
    return flag;
  }

  static JsonObject object(JsonObject json, String key, String field) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw FerryException.invalidField(field, "must be an object");
    }
    return object;
  }

  static int queryInteger(RoutingContext ctx, String name, int min, int max, int defaultValue) {
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
}

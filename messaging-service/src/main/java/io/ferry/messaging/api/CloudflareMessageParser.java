package io.ferry.messaging.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.messaging.core.NewMessage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Validates Cloudflare-dialect push and batch bodies into {@link NewMessage}s. */
final class CloudflareMessageParser {

  private CloudflareMessageParser() {
  }

  // prefix locates the message in the body ("" or "messages[3].") so errors name the exact field.
  static NewMessage message(JsonObject json, String prefix) {
    ContentType contentType = contentType(json, prefix + "content_type");
    if (!json.containsKey("body")) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, prefix + "body", "is required");
    }
    byte[] body = body(json.getValue("body"), contentType, prefix + "body");
    MessageLimits.checkMessageSize(body, prefix + "body");
    Integer delay = RequestJson.optionalInt(json, "delay_seconds", prefix + "delay_seconds", 0,
        MessageLimits.MAX_DELAY_SECONDS, ErrorCode.MESSAGE_METADATA_INVALID);
    return new NewMessage(null, contentType, body, delay);
  }

  static List<NewMessage> batch(JsonObject json) {
    JsonArray array = RequestJson.optionalArray(json, "messages", "messages");
    if (array == null) {
      throw RequestJson.invalid(ErrorCode.INVALID_FIELD, "messages", "is required");
    }
    if (array.isEmpty() || array.size() > MessageLimits.MAX_BATCH_MESSAGES) {
      throw RequestJson.invalid(ErrorCode.BATCH_COUNT_OUT_OF_BOUNDS, "messages",
          "a batch holds 1 to " + MessageLimits.MAX_BATCH_MESSAGES + " messages, got " + array.size());
    }
    List<NewMessage> messages = new ArrayList<>(array.size());
    long totalBytes = 0;
    for (int i = 0; i < array.size(); i++) {
      String prefix = "messages[" + i + "]";
      NewMessage message = message(RequestJson.objectAt(array, i, prefix), prefix + ".");
      totalBytes += message.body().length;
      messages.add(message);
    }
    if (totalBytes > MessageLimits.MAX_BATCH_BYTES) {
      throw RequestJson.invalid(ErrorCode.BATCH_SIZE_OUT_OF_BOUNDS, "messages",
          "batch is " + totalBytes + " bytes; the limit is " + MessageLimits.MAX_BATCH_BYTES);
    }
    return messages;
  }

  static Integer batchDelay(JsonObject json) {
    return RequestJson.optionalInt(json, "delay_seconds", "delay_seconds", 0, MessageLimits.MAX_DELAY_SECONDS,
        ErrorCode.BATCH_DELAY_INVALID);
  }

  private static ContentType contentType(JsonObject json, String path) {
    Object value = json.getValue("content_type");
    if (value == null) {
      return ContentType.JSON;
    }
    ContentType type = value instanceof String name ? ContentType.fromWire(name) : null;
    if (type == null) {
      throw RequestJson.invalid(ErrorCode.MESSAGE_METADATA_INVALID, path, "must be one of json, text, bytes, v8");
    }
    return type;
  }

  private static byte[] body(Object value, ContentType contentType, String path) {
    switch (contentType) {
      case JSON:
        return Json.encodeToBuffer(value).getBytes();
      case TEXT:
        if (!(value instanceof String text)) {
          throw RequestJson.invalid(ErrorCode.INVALID_FIELD, path, "must be a string for content_type text");
        }
        return text.getBytes(StandardCharsets.UTF_8);
      default:
        if (!(value instanceof String encoded)) {
          throw RequestJson.invalid(ErrorCode.INVALID_FIELD, path,
              "must be a base64 string for content_type " + contentType.wireName());
        }
        try {
          return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
          throw RequestJson.invalid(ErrorCode.INVALID_FIELD, path, "is not valid base64");
        }
    }
  }
}

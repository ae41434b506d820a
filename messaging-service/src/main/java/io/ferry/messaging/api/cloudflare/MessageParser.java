package io.ferry.messaging.api.cloudflare;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.runtime.RequestBody;
import io.ferry.messaging.api.MessageLimits;
import io.ferry.messaging.core.NewMessage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Validates Cloudflare-dialect push and batch bodies into {@link NewMessage}s. */
final class MessageParser {

  // Cloudflare's limits, with 1 KB = 1,000 bytes: a message counts its body plus up to ~100 bytes of metadata,
  // charged here as a flat 100 so that the edges are exact and the same on every request.
  static final int MAX_MESSAGE_BYTES = 128_000;
  static final int MAX_BATCH_BYTES = 256_000;
  static final int METADATA_BYTES = 100;

  private MessageParser() {
  }

  // prefix locates the message in the body ("" or "messages[3].") so errors name the exact field; rawBody is
  // the body's bytes as the request wrote them (RawJsonBodies), or null to encode the decoded value.
  static NewMessage message(JsonObject json, String prefix, byte[] rawBody) {
    ContentType contentType = contentType(json, prefix + "content_type");
    if (!json.containsKey("body")) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, prefix + "body", "is required");
    }
    byte[] body = contentType == ContentType.JSON && rawBody != null ? rawBody
        : body(json.getValue("body"), contentType, prefix + "body");
    checkMessageSize(body, prefix + "body");
    Integer delay = RequestBody.optionalInt(json, "delay_seconds", prefix + "delay_seconds", 0,
        MessageLimits.MAX_DELAY_SECONDS, ErrorCode.MESSAGE_METADATA_INVALID);
    return new NewMessage(null, contentType, body, delay);
  }

  // rawBodies: each entry's body as the request wrote it, by position, or null (RawJsonBodies).
  static List<NewMessage> batch(JsonObject json, byte[][] rawBodies) {
    JsonArray array = RequestBody.optionalArray(json, "messages", "messages");
    if (array == null) {
      throw RequestBody.invalid(ErrorCode.INVALID_FIELD, "messages", "is required");
    }
    if (array.isEmpty() || array.size() > MessageLimits.MAX_BATCH_MESSAGES) {
      throw RequestBody.invalid(ErrorCode.BATCH_COUNT_OUT_OF_BOUNDS, "messages",
          "a batch holds 1 to " + MessageLimits.MAX_BATCH_MESSAGES + " messages, got " + array.size());
    }
    List<NewMessage> messages = new ArrayList<>(array.size());
    long totalBytes = 0;
    for (int i = 0; i < array.size(); i++) {
      String prefix = "messages[" + i + "]";
      byte[] rawBody = rawBodies == null || i >= rawBodies.length ? null : rawBodies[i];
      NewMessage message = message(RequestBody.objectAt(array, i, prefix), prefix + ".", rawBody);
      totalBytes += countedBytes(message.body());
      messages.add(message);
    }
    if (totalBytes > MAX_BATCH_BYTES) {
      throw RequestBody.invalid(ErrorCode.BATCH_SIZE_OUT_OF_BOUNDS, "messages", "Batch size out of bounds: the "
          + "batch is " + totalBytes + " bytes (bodies plus " + METADATA_BYTES + " bytes of metadata per message); "
          + "the limit is " + MAX_BATCH_BYTES + " bytes");
    }
    return messages;
  }

  private static void checkMessageSize(byte[] body, String path) {
    long counted = countedBytes(body);
    if (counted > MAX_MESSAGE_BYTES) {
      throw RequestBody.invalid(ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS, path, "Message size out of bounds: the "
          + "message is " + counted + " bytes (body plus " + METADATA_BYTES + " bytes of metadata); the limit is "
          + MAX_MESSAGE_BYTES + " bytes");
    }
  }

  private static long countedBytes(byte[] body) {
    return (long) body.length + METADATA_BYTES;
  }

  static Integer batchDelay(JsonObject json) {
    return RequestBody.optionalInt(json, "delay_seconds", "delay_seconds", 0, MessageLimits.MAX_DELAY_SECONDS,
        ErrorCode.BATCH_DELAY_INVALID);
  }

  private static ContentType contentType(JsonObject json, String path) {
    Object value = json.getValue("content_type");
    if (value == null) {
      return ContentType.JSON;
    }
    ContentType type = value instanceof String name ? ContentType.fromWire(name) : null;
    if (type == null) {
      throw RequestBody.invalid(ErrorCode.MESSAGE_METADATA_INVALID, path, "must be one of json, text, bytes, v8");
    }
    return type;
  }

  private static byte[] body(Object value, ContentType contentType, String path) {
    switch (contentType) {
      case JSON:
        return Json.encodeToBuffer(value).getBytes();
      case TEXT:
        if (!(value instanceof String text)) {
          throw RequestBody.invalid(ErrorCode.INVALID_FIELD, path, "must be a string for content_type text");
        }
        return text.getBytes(StandardCharsets.UTF_8);
      default:
        if (!(value instanceof String encoded)) {
          throw RequestBody.invalid(ErrorCode.INVALID_FIELD, path,
              "must be a base64 string for content_type " + contentType.wireName());
        }
        try {
          return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
          throw RequestBody.invalid(ErrorCode.INVALID_FIELD, path, "is not valid base64");
        }
    }
  }
}

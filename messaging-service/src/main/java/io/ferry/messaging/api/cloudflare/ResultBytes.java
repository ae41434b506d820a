package io.ferry.messaging.api.cloudflare;

import static io.ferry.contracts.model.JsonBytes.appendLong;
import static io.ferry.contracts.model.JsonBytes.appendString;
import static io.ferry.contracts.model.JsonBytes.ascii;

import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.util.Base64;

/**
 * The {@code result} of a push, a pull and an ack written straight into bytes, byte for byte what encoding
 * them as {@code JsonObject}s gave (the tests keep that encoding as their reference): building the objects and
 * encoding them was the largest part of answering a pull. Written with {@link
 * io.ferry.contracts.model.JsonBytes}, so escaping cannot differ; ack warnings (rare, free text) are encoded as
 * before.
 */
final class ResultBytes {

  private static final byte[] PULL_HEAD = ascii("{\"message_backlog_count\":");
  private static final byte[] MESSAGES = ascii(",\"messages\":[");
  private static final byte[] ID = ascii("{\"id\":");
  private static final byte[] BODY = ascii(",\"body\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp_ms\":");
  private static final byte[] ATTEMPTS = ascii(",\"attempts\":");
  private static final byte[] CONTENT_TYPE = ascii(",\"metadata\":{\"CF-Content-Type\":");
  private static final byte[] LEASE_ID = ascii("},\"lease_id\":");
  private static final byte[] PULL_METRICS = ascii("],\"metadata\":{\"metrics\":{\"backlog_count\":");
  private static final byte[] PUSH_METRICS = ascii("{\"metadata\":{\"metrics\":{\"backlog_count\":");
  private static final byte[] BACKLOG_BYTES = ascii(",\"backlog_bytes\":");
  private static final byte[] OLDEST = ascii(",\"oldest_message_timestamp_ms\":");
  private static final byte[] METRICS_TAIL = ascii("}}}");
  private static final byte[] ACK_HEAD = ascii("{\"ackCount\":");
  private static final byte[] RETRY_COUNT = ascii(",\"retryCount\":");
  private static final byte[] NO_WARNINGS = ascii(",\"warnings\":{}}");
  // Per message beyond its body: field names, a 32-character id and lease id, numbers and the content type.
  private static final int MESSAGE_OVERHEAD = 220;
  private static final int PULL_OVERHEAD = 200;

  private ResultBytes() {
  }

  static Buffer pulled(LeaseBatch batch) {
    Buffer out = Buffer.buffer(estimate(batch));
    QueueMetrics metrics = batch.metrics();
    out.appendBytes(PULL_HEAD);
    appendLong(out, metrics.backlogCount());
    out.appendBytes(MESSAGES);
    boolean first = true;
    for (LeasedMessage leased : batch.messages()) {
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      StoredMessage message = leased.message();
      out.appendBytes(ID);
      appendString(out, message.id());
      out.appendBytes(BODY);
      appendBody(out, message);
      out.appendBytes(TIMESTAMP);
      appendLong(out, message.timestampMs());
      out.appendBytes(ATTEMPTS);
      appendLong(out, leased.attempts());
      out.appendBytes(CONTENT_TYPE);
      appendString(out, message.contentType().wireName());
      out.appendBytes(LEASE_ID);
      appendString(out, leased.leaseId());
      out.appendByte((byte) '}');
    }
    out.appendBytes(PULL_METRICS);
    return appendMetrics(out, metrics);
  }

  static Buffer pushed(QueueMetrics metrics) {
    return appendMetrics(Buffer.buffer(128).appendBytes(PUSH_METRICS), metrics);
  }

  // From the backlog count's value to the end of the result.
  private static Buffer appendMetrics(Buffer out, QueueMetrics metrics) {
    appendLong(out, metrics.backlogCount());
    out.appendBytes(BACKLOG_BYTES);
    appendLong(out, metrics.backlogBytes());
    out.appendBytes(OLDEST);
    appendLong(out, metrics.oldestTimestampMs());
    return out.appendBytes(METRICS_TAIL);
  }

  static Buffer acked(AckResult result) {
    if (!result.warnings().isEmpty()) {
      return Json.encodeToBuffer(MessageJson.acked(result));
    }
    Buffer out = Buffer.buffer(64).appendBytes(ACK_HEAD);
    appendLong(out, result.ackCount());
    out.appendBytes(RETRY_COUNT);
    appendLong(out, result.retryCount());
    return out.appendBytes(NO_WARNINGS);
  }

  private static int estimate(LeaseBatch batch) {
    int size = PULL_OVERHEAD;
    for (LeasedMessage leased : batch.messages()) {
      // base64 is 4/3 of the body; a text body with escapes may outgrow this, and the buffer then grows.
      size += MESSAGE_OVERHEAD + (leased.message().body().length + 2) / 3 * 4;
    }
    return size;
  }

  // As MessageJson.body: text goes out as it is, json and binary bodies base64-encoded.
  private static void appendBody(Buffer out, StoredMessage message) {
    byte[] body = message.body();
    switch (message.contentType()) {
      case TEXT -> appendString(out, body);
      case JSON, BYTES, V8 -> out.appendByte((byte) '"')
          .appendBytes(Base64.getEncoder().encode(body))
          .appendByte((byte) '"');
    }
  }
}

package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.schema.MessageSchema;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The queue's message schema, applied to what producers push. The schema is compiled once per version of
 * the queue admin sent us (kept on the queue's state); messages are checked on a worker thread, because
 * decoding and matching up to a batch's worth of JSON does not belong on the engine's single thread. A
 * violation is UNPROCESSABLE naming the path ({@code $.age: must be at least 0}, in a batch of several
 * {@code messages[3] $.age: ...}); the batch is refused whole. A {@code json} message is checked as its JSON
 * value, a {@code text} message as a JSON string; {@code bytes} and {@code v8} cannot be, so a queue with a
 * schema refuses them.
 */
final class SchemaGate {

  private final EngineRuntime runtime;

  SchemaGate(EngineRuntime runtime) {
    this.runtime = runtime;
  }

  /** The queue's compiled schema, or {@code null} when it has none. On the engine thread. */
  MessageSchema schemaOf(QueueState queue) {
    if (queue.info.schema() == null) {
      return null;
    }
    if (queue.schemaCompiledFrom != queue.info) {
      try {
        queue.schema = MessageSchema.compile(queue.info.schema());
      } catch (FerryException invalid) {
        // admin validates schemas before storing them; this only guards against a record written otherwise.
        throw new FerryException(ErrorCode.UNPROCESSABLE, "queue " + queue.info.name()
            + " has a schema that cannot be applied (" + invalid.getMessage() + "); replace it with PUT /v1/queues/"
            + queue.id());
      }
      queue.schemaCompiledFrom = queue.info;
    }
    return queue.schema;
  }

  /** Succeeds when every message matches, else fails UNPROCESSABLE; completes on the caller's context. */
  Future<Void> check(MessageSchema schema, List<NewMessage> messages) {
    return runtime.vertx.executeBlocking(() -> {
      requireMatch(schema, messages);
      return null;
    }, false);
  }

  static void requireMatch(MessageSchema schema, List<NewMessage> messages) {
    for (int i = 0; i < messages.size(); i++) {
      String prefix = messages.size() > 1 ? "messages[" + i + "] " : "";
      String violation = schema.validate(jsonValue(messages.get(i), prefix));
      if (violation != null) {
        throw new FerryException(ErrorCode.UNPROCESSABLE, prefix + violation);
      }
    }
  }

  private static Object jsonValue(NewMessage message, String prefix) {
    switch (message.contentType()) {
      case JSON:
        try {
          return Json.decodeValue(Buffer.buffer(message.body()));
        } catch (DecodeException notJson) {
          throw new FerryException(ErrorCode.UNPROCESSABLE, prefix + "$: the json body is not valid JSON");
        }
      case TEXT:
        return new String(message.body(), StandardCharsets.UTF_8);
      default:
        throw new FerryException(ErrorCode.UNPROCESSABLE, prefix + "queue has a schema: only json or text "
            + "messages can be pushed to it, not " + message.contentType().wireName());
    }
  }
}

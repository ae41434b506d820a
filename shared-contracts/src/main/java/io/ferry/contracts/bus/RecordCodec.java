package io.ferry.contracts.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Codec for an immutable payload record: within one JVM the reference itself is delivered (no copy, no
 * encoding); across the cluster it travels as length-prefixed JSON.
 */
final class RecordCodec<T extends BusPayload> implements MessageCodec<T, T> {

  private final String name;
  private final Function<JsonObject, T> decoder;

  RecordCodec(Class<T> type, Function<JsonObject, T> decoder) {
    this.name = "ferry." + type.getSimpleName();
    this.decoder = decoder;
  }

  @Override
  public void encodeToWire(Buffer buffer, T payload) {
    Buffer json = payload.toJson().toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + Integer.BYTES;
    return decoder.apply(new JsonObject(buffer.getBuffer(start, start + length)));
  }

  @Override
  public T transform(T payload) {
    return payload;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Binary layout of the RocksDB keys and values. Keys are a length-prefixed id followed, where ordered, by a
 * big-endian sequence, so that one queue's (or subscription's) entries are contiguous and in sequence order.
 */
final class RocksCodec {

  private static final byte MESSAGE_FORMAT = 1;
  private static final int HEADER_BYTES = 1 + 1 + Long.BYTES + Long.BYTES;

  private RocksCodec() {
  }

  static byte[] idKey(String id) {
    byte[] ascii = id.getBytes(StandardCharsets.UTF_8);
    if (ascii.length > 255) {
      throw new IllegalArgumentException("id longer than 255 bytes: " + id);
    }
    byte[] key = new byte[1 + ascii.length];
    key[0] = (byte) ascii.length;
    System.arraycopy(ascii, 0, key, 1, ascii.length);
    return key;
  }

  static String idOf(byte[] key) {
    return new String(key, 1, key[0] & 0xFF, StandardCharsets.UTF_8);
  }

  static byte[] sequenceKey(String id, long sequence) {
    byte[] prefix = idKey(id);
    byte[] key = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
    ByteBuffer.wrap(key, prefix.length, Long.BYTES).putLong(sequence);
    return key;
  }

  // Sequences are never negative, so all-0xFF bytes are past every sequence key of the id.
  static byte[] sequenceKeyEnd(String id) {
    byte[] prefix = idKey(id);
    byte[] key = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
    Arrays.fill(key, prefix.length, key.length, (byte) 0xFF);
    return key;
  }

  // The exclusive end of a range holding every sequence key of the id up to lastSequence.
  static byte[] sequenceKeyAfter(String id, long lastSequence) {
    return lastSequence == Long.MAX_VALUE ? sequenceKeyEnd(id) : sequenceKey(id, lastSequence + 1);
  }

  static long sequenceOf(byte[] key) {
    return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }

  static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] longValue(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long readLong(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  // Layout: attempts, available-at, then a state byte only when the delivery is missed. Entries written
  // before misses existed have no state byte and read as not missed, so old stores open unchanged.
  static byte[] pendingValue(PendingRecord record) {
    ByteBuffer buffer = ByteBuffer.allocate(record.missed() ? PENDING_MISSED_BYTES : PENDING_PLAIN_BYTES)
        .putInt(record.attempts()).putLong(record.availableAtMs());
    if (record.missed()) {
      buffer.put(PENDING_STATE_MISSED);
    }
    return buffer.array();
  }

  /** The pending entry from the first {@code valueLength} bytes of {@code value} (a buffer may be longer). */
  static PendingRecord pending(String subscriptionId, long sequence, byte[] value, int valueLength) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    int attempts = buffer.getInt();
    long availableAtMs = buffer.getLong();
    boolean missed = valueLength >= PENDING_MISSED_BYTES && value[PENDING_PLAIN_BYTES] == PENDING_STATE_MISSED;
    return new PendingRecord(subscriptionId, sequence, attempts, availableAtMs, missed);
  }

  static final int PENDING_PLAIN_BYTES = Integer.BYTES + Long.BYTES;
  static final int PENDING_MISSED_BYTES = PENDING_PLAIN_BYTES + 1;
  private static final byte PENDING_STATE_MISSED = 1;

  // Counters are 64-bit little-endian: the encoding of RocksDB's built-in uint64add merge operator, which
  // adds increments written in the same batch as the acks they count.
  static byte[] counterValue(long value) {
    return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  static long counter(byte[] value) {
    return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  static byte[] purgeValue(PurgeRecord purge) {
    return ByteBuffer.allocate(Long.BYTES + Long.BYTES + 1).putLong(purge.startedAtMs())
        .putLong(purge.throughSequence()).put((byte) (purge.completed() ? 1 : 0)).array();
  }

  static PurgeRecord purge(byte[] key, byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    return new PurgeRecord(idOf(key), buffer.getLong(), buffer.getLong(), buffer.get() == 1);
  }

  // Layout: format, content type, timestamp, available-at, id, key (length -1 when absent), body as is.
  static byte[] messageValue(StoredMessage message) {
    byte[] id = message.id().getBytes(StandardCharsets.UTF_8);
    byte[] key = message.key() == null ? null : message.key().getBytes(StandardCharsets.UTF_8);
    int keyLength = key == null ? 0 : key.length;
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + Integer.BYTES + id.length + Integer.BYTES + keyLength
        + message.body().length);
    buffer.put(MESSAGE_FORMAT).put(contentTypeCode(message.contentType()))
        .putLong(message.timestampMs()).putLong(message.availableAtMs())
        .putInt(id.length).put(id)
        .putInt(key == null ? -1 : key.length);
    if (key != null) {
      buffer.put(key);
    }
    buffer.put(message.body());
    return buffer.array();
  }

  static StoredMessage message(String queueId, long sequence, byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    checkFormat(buffer.get());
    ContentType contentType = contentType(buffer.get());
    long timestampMs = buffer.getLong();
    long availableAtMs = buffer.getLong();
    String id = readString(buffer, buffer.getInt());
    int keyLength = buffer.getInt();
    String key = keyLength < 0 ? null : readString(buffer, keyLength);
    byte[] body = new byte[buffer.remaining()];
    buffer.get(body);
    return new StoredMessage(id, queueId, sequence, key, contentType, body, timestampMs, availableAtMs);
  }

  /**
   * The meta of a stored message from the start of its value: {@code header} holds at least the fixed
   * header, id and key ({@link #META_PREFIX_BYTES} is always enough); {@code valueLength} is the whole value's.
   */
  static MessageMeta meta(String queueId, long sequence, byte[] header, int valueLength) {
    ByteBuffer buffer = ByteBuffer.wrap(header);
    checkFormat(buffer.get());
    buffer.get();
    long timestampMs = buffer.getLong();
    long availableAtMs = buffer.getLong();
    int idLength = buffer.getInt();
    buffer.position(buffer.position() + idLength);
    int keyLength = buffer.getInt();
    int bodyBytes = valueLength - buffer.position() - Math.max(keyLength, 0);
    return new MessageMeta(queueId, sequence, bodyBytes, timestampMs, availableAtMs);
  }

  // The fixed header, a 255-byte id and a key of up to 512 characters of up to 4 UTF-8 bytes each.
  static final int META_PREFIX_BYTES = HEADER_BYTES + Integer.BYTES + 255 + Integer.BYTES + 4 * 512;

  static long longAt(byte[] bytes, int offset) {
    long value = 0;
    for (int i = offset; i < offset + Long.BYTES; i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  static MessageHeader header(long sequence, byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    checkFormat(buffer.get());
    buffer.position(HEADER_BYTES);
    String id = readString(buffer, buffer.getInt());
    int keyLength = buffer.getInt();
    return new MessageHeader(sequence, id, keyLength < 0 ? null : readString(buffer, keyLength));
  }

  /** Whether the stored message's frame id (its key, else its id: {@code StoredMessage.frameId()}) is {@code wanted}. */
  static boolean frameIdEquals(byte[] value, byte[] wanted) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    buffer.position(HEADER_BYTES);
    int idLength = buffer.getInt();
    int idStart = buffer.position();
    buffer.position(idStart + idLength);
    int keyLength = buffer.getInt();
    int start = keyLength < 0 ? idStart : buffer.position();
    int length = keyLength < 0 ? idLength : keyLength;
    return length == wanted.length && Arrays.equals(value, start, start + length, wanted, 0, wanted.length);
  }

  private static String readString(ByteBuffer buffer, int length) {
    String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
    buffer.position(buffer.position() + length);
    return value;
  }

  private static void checkFormat(byte format) {
    if (format != MESSAGE_FORMAT) {
      throw new IllegalStateException("unknown stored message format " + format);
    }
  }

  // Explicit codes rather than ordinals, so reordering the enum can never reinterpret stored bodies.
  private static byte contentTypeCode(ContentType type) {
    return switch (type) {
      case JSON -> 1;
      case TEXT -> 2;
      case BYTES -> 3;
      case V8 -> 4;
    };
  }

  private static ContentType contentType(byte code) {
    return switch (code) {
      case 1 -> ContentType.JSON;
      case 2 -> ContentType.TEXT;
      case 3 -> ContentType.BYTES;
      case 4 -> ContentType.V8;
      default -> throw new IllegalStateException("unknown stored content type " + code);
    };
  }
}

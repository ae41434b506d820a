package io.ferry.messaging.store;

import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.WriteBatch;

/**
 * A RocksDB write batch assembled in Java, in the layout RocksDB keeps a batch in (and writes to its log), then
 * handed to RocksDB in one call. Each {@link WriteBatch#put} is a JNI call that copies its key and value: with
 * about twenty keys per batch push, those calls were 5 % of Ferry's CPU. Not thread-safe: one per writer thread.
 *
 * <p>The layout ({@code db/write_batch.cc}): an 8-byte sequence and a 4-byte count, little-endian, then one
 * record per operation: a type byte, the column family's id as a varint (left out for the default family,
 * which has types of its own), then the key and, where there is one, the value, each a varint length and its
 * bytes. It is RocksDB's write-ahead-log format, kept stable across versions; SerializedWriteBatchTest compares
 * it byte for byte with RocksJava's own batches, so an upgrade that changed it fails there first.
 */
final class SerializedWriteBatch {

  private static final int HEADER_BYTES = 8 + 4;
  private static final int COUNT_OFFSET = 8;
  // RocksDB's ValueType tags (db/dbformat.h).
  private static final byte DELETION = 0x0;
  private static final byte VALUE = 0x1;
  private static final byte MERGE = 0x2;
  private static final byte FAMILY_DELETION = 0x4;
  private static final byte FAMILY_VALUE = 0x5;
  private static final byte FAMILY_MERGE = 0x6;
  private static final byte FAMILY_RANGE_DELETION = 0xE;
  private static final byte RANGE_DELETION = 0xF;

  private static final int INITIAL_BYTES = 64 * 1024;
  // A group of large commits grows the buffer; past this it is not kept for the next group.
  private static final int KEPT_BYTES = 256 * 1024;

  private byte[] bytes = new byte[INITIAL_BYTES];
  private int size = HEADER_BYTES;
  private int count;

  /** A column family as batches name it: by the id RocksDB gave it. */
  record Family(int id) {
    static Family of(ColumnFamilyHandle handle) {
      return new Family(handle.getID());
    }
  }

  /** Where the batch stands, to {@link #rollBackTo} if what follows must not be written. */
  record Mark(int size, int count) {
  }

  void put(Family family, byte[] key, byte[] value) {
    record(family, VALUE, FAMILY_VALUE);
    string(key);
    string(value);
  }

  void merge(Family family, byte[] key, byte[] value) {
    record(family, MERGE, FAMILY_MERGE);
    string(key);
    string(value);
  }

  void delete(Family family, byte[] key) {
    record(family, DELETION, FAMILY_DELETION);
    string(key);
  }

  /** Deletes the keys from {@code begin} (included) to {@code end} (excluded). */
  void deleteRange(Family family, byte[] begin, byte[] end) {
    record(family, RANGE_DELETION, FAMILY_RANGE_DELETION);
    string(begin);
    string(end);
  }

  Mark mark() {
    return new Mark(size, count);
  }

  void rollBackTo(Mark mark) {
    size = mark.size();
    count = mark.count();
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The batch as RocksDB's own, for {@code RocksDB.write}; the caller closes it. */
  WriteBatch toWriteBatch() {
    writeIntLittleEndian(COUNT_OFFSET, count);
    return new WriteBatch(Arrays.copyOf(bytes, size));
  }

  void clear() {
    if (bytes.length > KEPT_BYTES) {
      bytes = new byte[INITIAL_BYTES];
    }
    Arrays.fill(bytes, 0, HEADER_BYTES, (byte) 0);
    size = HEADER_BYTES;
    count = 0;
  }

  private void record(Family family, byte defaultFamilyType, byte familyType) {
    count++;
    if (family.id() == 0) {
      ensure(1);
      bytes[size++] = defaultFamilyType;
    } else {
      ensure(1 + 5);
      bytes[size++] = familyType;
      varint(family.id());
    }
  }

  private void string(byte[] value) {
    ensure(5 + value.length);
    varint(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
  }

  private void varint(int value) {
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    bytes[size++] = (byte) rest;
  }

  private void writeIntLittleEndian(int at, int value) {
    bytes[at] = (byte) value;
    bytes[at + 1] = (byte) (value >>> 8);
    bytes[at + 2] = (byte) (value >>> 16);
    bytes[at + 3] = (byte) (value >>> 24);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}

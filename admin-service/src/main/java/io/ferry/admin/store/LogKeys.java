package io.ferry.admin.store;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

// The key layout of the bounded logs kept in RocksDB (the audit trail, webhook attempt logs): an owner's entries
// live under <kind><owner>/<sequence> with the sequence as 16 hex digits, so they sort in arrival order. The
// audit trail also keeps <idKind><entry id> pointing at an entry's key, for cursors; attempt logs find a
// cursor by scanning their few entries (RocksAttemptRecords).
final class LogKeys {

  // Sorts after every hex digit: the upper bound of an owner's keys.
  private static final String END = "g";
  private static final String ZEROS = "0000000000000000";

  private final String kind;
  private final String idKind;

  LogKeys(String kind, String idKind) {
    this.kind = kind;
    this.idKind = idKind;
  }

  String kind() {
    return kind;
  }

  String key(String owner, long sequence) {
    // String.format's parsing of its pattern was a quarter of an attempt-log write.
    String hex = Long.toHexString(sequence);
    return ownerPrefix(owner) + ZEROS.substring(hex.length()) + hex;
  }

  String ownerPrefix(String owner) {
    return kind + owner + "/";
  }

  byte[] idKey(String id) {
    return bytes(idKind + id);
  }

  /**
   * Where a newest-first page of the owner's entries starts (exclusive): the key startAfterId points at, or
   * the end of the owner's keys without a cursor; null when startAfterId is not an entry of this owner.
   */
  String pageStart(RocksRecords records, String owner, String startAfterId) throws RocksDBException {
    String prefix = ownerPrefix(owner);
    if (startAfterId == null) {
      return upperBound(prefix);
    }
    byte[] at = records.get(idKey(startAfterId));
    return at == null || !text(at).startsWith(prefix) ? null : text(at);
  }

  /** Puts the iterator on the newest key strictly below {@code start}. */
  static void seekBelow(RocksIterator it, String start) {
    it.seekForPrev(bytes(start));
    if (it.isValid() && text(it.key()).equals(start)) {
      it.prev();
    }
  }

  static String upperBound(String ownerPrefix) {
    return ownerPrefix + END;
  }

  static long sequence(String key) {
    return Long.parseUnsignedLong(key.substring(key.lastIndexOf('/') + 1), 16);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

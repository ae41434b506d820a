package io.ferry.messaging.store;

import io.ferry.contracts.runtime.RocksInsertHints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;

/** The message store's column families, in the order their handles come back from open, with their options. */
final class RocksFamilies implements AutoCloseable {

  static final List<String> NAMES =
      List.of("default", "queues", "sequences", "subscriptions", "messages", "pending", "purges", "counters");
  private static final String COUNTER_MERGE_OPERATOR = "uint64add";
  private static final CompressionType COMPRESSION = CompressionType.LZ4_COMPRESSION;
  // A sequence key starts with its queue's or subscription's id: a length byte and 32 characters (Ids).
  private static final int SEQUENCE_KEY_OWNER_BYTES = 1 + 32;

  // LZ4 rather than RocksDB's default Snappy: about the same ratio for less CPU per byte, and every byte
  // pushed is compressed once a memtable flushes (Snappy was 2.4-7.4 % of a batch push's CPU, LZ4 0.5-1.8 %).
  private final ColumnFamilyOptions plain = new ColumnFamilyOptions().setCompressionType(COMPRESSION);
  private final ColumnFamilyOptions counters = new ColumnFamilyOptions().setCompressionType(COMPRESSION)
      .setMergeOperatorName(COUNTER_MERGE_OPERATOR);
  // Each queue (or subscription) appends at the end of its own key range: pushing to 16 queues made the
  // memtable's skiplist search 7 % of Ferry's CPU without a hint per owner, against 2 % for one queue.
  private final ColumnFamilyOptions bySequence =
      RocksInsertHints.perPrefix(SEQUENCE_KEY_OWNER_BYTES).setCompressionType(COMPRESSION);

  List<ColumnFamilyDescriptor> descriptors() {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(NAMES.size());
    for (String name : NAMES) {
      ColumnFamilyOptions options = switch (name) {
        case "counters" -> counters;
        case "messages", "pending" -> bySequence;
        default -> plain;
      };
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options));
    }
    return descriptors;
  }

  @Override
  public void close() {
    plain.close();
    counters.close();
    bySequence.close();
  }
}

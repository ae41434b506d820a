package io.ferry.messaging.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
  private final ColumnFamilyOptions bySequence = bySequenceOptions().setCompressionType(COMPRESSION);

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

  // Each queue (or subscription) appends at the end of its own key range. Without a hint, every insert into
  // the memtable's skiplist searches it from the top; with one remembered per key owner, the next insert
  // starts where that owner's last one ended. Pushing to 16 queues made that search 7 % of Ferry's CPU,
  // against 2 % for one queue. A hint only shortens the search, so an id of another length stays correct.
  // RocksJava has no setter for it, hence the options string.
  private static ColumnFamilyOptions bySequenceOptions() {
    Properties properties = new Properties();
    properties.setProperty("memtable_insert_with_hint_prefix_extractor",
        "rocksdb.CappedPrefix." + SEQUENCE_KEY_OWNER_BYTES);
    ColumnFamilyOptions options = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(properties);
    if (options == null) {
      throw new IllegalStateException("RocksDB refused the memtable insert hint option");
    }
    return options;
  }

  @Override
  public void close() {
    plain.close();
    counters.close();
    bySequence.close();
  }
}

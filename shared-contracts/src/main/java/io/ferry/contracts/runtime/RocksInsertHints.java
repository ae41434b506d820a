package io.ferry.contracts.runtime;

import java.util.Properties;
import org.rocksdb.ColumnFamilyOptions;

/**
 * Column-family options for keys that several owners append to at once, each at the end of its own range
 * (a queue's messages, a listener's attempt log). Without a hint, every memtable insert searches the skiplist
 * from the top; with one kept per key prefix, an owner's next insert starts where its last one ended. A hint
 * only shortens the search, so a key whose prefix means nothing stays correct. RocksJava has no setter for
 * the option, hence the options string.
 */
public final class RocksInsertHints {

  private RocksInsertHints() {
  }

  /** Options whose memtable keeps an insert hint per key prefix of {@code prefixBytes} bytes. */
  public static ColumnFamilyOptions perPrefix(int prefixBytes) {
    Properties properties = new Properties();
    properties.setProperty("memtable_insert_with_hint_prefix_extractor", "rocksdb.CappedPrefix." + prefixBytes);
    ColumnFamilyOptions options = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(properties);
    if (options == null) {
      throw new IllegalStateException("RocksDB refused the memtable insert hint option");
    }
    return options;
  }
}

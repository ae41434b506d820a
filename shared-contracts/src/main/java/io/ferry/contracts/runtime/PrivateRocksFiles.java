package io.ferry.contracts.runtime;

import java.nio.file.Path;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.MemTableInfo;
import org.rocksdb.RocksDB;
import org.rocksdb.TableFileCreationInfo;

/**
 * Restricts the files RocksDB creates while a store is open ({@link PrivateFiles}): new tables (flush,
 * compaction), the write-ahead log started when a memtable is sealed, and a MANIFEST rolled over with them.
 * Only these few, infrequent callbacks are enabled: the per-I/O ones would cost a JNI call per read. Flush
 * completions are not among them: a flush's table is announced as created anyway, and RocksJava 9.10 cannot
 * describe a flush forced by a full write-ahead log (reason 13, unknown to its enum), so every such flush
 * printed an exception from a RocksDB thread.
 */
public final class PrivateRocksFiles extends AbstractEventListener {

  private final Path dir;

  public PrivateRocksFiles(Path dir) {
    super(EnabledEventCallback.ON_TABLE_FILE_CREATED, EnabledEventCallback.ON_MEMTABLE_SEALED,
        EnabledEventCallback.ON_COMPACTION_COMPLETED);
    this.dir = dir;
  }

  @Override
  public void onTableFileCreated(TableFileCreationInfo info) {
    restrict();
  }

  @Override
  public void onMemTableSealed(MemTableInfo info) {
    restrict();
  }

  @Override
  public void onCompactionCompleted(RocksDB db, CompactionJobInfo info) {
    restrict();
  }

  // Runs on a RocksDB background thread: an exception must not reach native code.
  private void restrict() {
    PrivateFiles.tryRestrictTree(dir);
  }
}

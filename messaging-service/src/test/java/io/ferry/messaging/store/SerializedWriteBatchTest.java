package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.messaging.store.SerializedWriteBatch.Family;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The batch assembled in Java is, byte for byte, the one RocksJava's own calls build, and RocksDB applies it. */
class SerializedWriteBatchTest {

  static {
    RocksDB.loadLibrary();
  }

  @TempDir
  Path directory;

  private DBOptions dbOptions;
  private ColumnFamilyOptions familyOptions;
  private ColumnFamilyOptions counterOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private RocksDB db;

  @BeforeEach
  void open() throws Exception {
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    familyOptions = new ColumnFamilyOptions();
    counterOptions = new ColumnFamilyOptions().setMergeOperatorName("uint64add");
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
    descriptors.add(new ColumnFamilyDescriptor(bytes("counters"), counterOptions));
    // Enough families that an id needs two varint bytes.
    for (int i = 2; i <= 130; i++) {
      descriptors.add(new ColumnFamilyDescriptor(bytes("family-" + i), familyOptions));
    }
    db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
  }

  @AfterEach
  void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    familyOptions.close();
    counterOptions.close();
    dbOptions.close();
  }

  @Test
  void everyOperationIsLaidOutAsRocksJavaLaysItOut() throws Exception {
    ColumnFamilyHandle last = handles.get(130);
    assertTrue(last.getID() > 127, "an id of two varint bytes");
    byte[] longValue = new byte[20_000];
    Arrays.fill(longValue, (byte) 7);

    SerializedWriteBatch ours = new SerializedWriteBatch();
    ours.put(Family.of(handles.get(0)), bytes("k0"), bytes("v0"));
    ours.put(Family.of(handles.get(2)), bytes("k1"), longValue);
    ours.merge(Family.of(handles.get(1)), bytes("count"), RocksCodec.counterValue(3));
    ours.merge(Family.of(handles.get(0)), bytes("m0"), bytes("x"));
    ours.delete(Family.of(last), bytes("gone"));
    ours.delete(Family.of(handles.get(0)), bytes("gone0"));
    ours.deleteRange(Family.of(handles.get(3)), bytes("a"), bytes("b"));
    ours.deleteRange(Family.of(handles.get(0)), bytes("a"), bytes("b"));
    ours.put(Family.of(last), new byte[0], new byte[0]);

    try (WriteBatch theirs = new WriteBatch(); WriteBatch built = ours.toWriteBatch()) {
      theirs.put(bytes("k0"), bytes("v0"));
      theirs.put(handles.get(2), bytes("k1"), longValue);
      theirs.merge(handles.get(1), bytes("count"), RocksCodec.counterValue(3));
      theirs.merge(bytes("m0"), bytes("x"));
      theirs.delete(last, bytes("gone"));
      theirs.delete(bytes("gone0"));
      theirs.deleteRange(handles.get(3), bytes("a"), bytes("b"));
      theirs.deleteRange(bytes("a"), bytes("b"));
      theirs.put(last, new byte[0], new byte[0]);
      assertArrayEquals(theirs.data(), built.data());
      assertEquals(9, built.count());
    }
  }

  @Test
  void aRolledBackPartIsNotWrittenAndTheRestIs() throws Exception {
    ColumnFamilyHandle family = handles.get(2);
    ColumnFamilyHandle counters = handles.get(1);
    SerializedWriteBatch ours = new SerializedWriteBatch();
    ours.put(Family.of(family), bytes("kept"), bytes("1"));
    ours.merge(Family.of(counters), bytes("n"), RocksCodec.counterValue(2));
    SerializedWriteBatch.Mark mark = ours.mark();
    ours.put(Family.of(family), bytes("dropped"), bytes("2"));
    ours.merge(Family.of(counters), bytes("n"), RocksCodec.counterValue(40));
    ours.rollBackTo(mark);
    ours.merge(Family.of(counters), bytes("n"), RocksCodec.counterValue(5));
    write(ours);

    assertArrayEquals(bytes("1"), db.get(family, bytes("kept")));
    assertNull(db.get(family, bytes("dropped")));
    assertArrayEquals(RocksCodec.counterValue(7), db.get(counters, bytes("n")));
  }

  @Test
  void aClearedBatchStartsAgainAndARangeDeletionRemovesItsRange() throws Exception {
    ColumnFamilyHandle family = handles.get(5);
    SerializedWriteBatch ours = new SerializedWriteBatch();
    for (char c = 'a'; c <= 'e'; c++) {
      ours.put(Family.of(family), bytes("key-" + c), bytes("value-" + c));
    }
    write(ours);
    ours.clear();
    assertTrue(ours.isEmpty());
    ours.deleteRange(Family.of(family), bytes("key-b"), bytes("key-d"));
    ours.delete(Family.of(family), bytes("key-e"));
    write(ours);

    List<String> left = new ArrayList<>();
    try (var iterator = db.newIterator(family)) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        left.add(new String(iterator.key(), StandardCharsets.UTF_8));
      }
    }
    assertEquals(List.of("key-a", "key-d"), left);
  }

  private void write(SerializedWriteBatch batch) throws Exception {
    try (WriteBatch built = batch.toWriteBatch(); WriteOptions options = new WriteOptions()) {
      db.write(options, built);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.PrivateRocksFiles;
import io.ferry.contracts.runtime.StoreFormat;
import io.ferry.contracts.runtime.backup.RocksCheckpoints;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on embedded RocksDB. Column families: {@code queues} and {@code subscriptions} (JSON
 * records by id), {@code sequences} (each queue's highest appended sequence), {@code messages} (queue id +
 * sequence → header and body bytes), {@code pending} (subscription id + sequence → attempts, available-at,
 * missed), {@code purges} (queue id → the queue's last purge) and {@code counters} (subscription id → messages
 * acknowledged, kept by RocksDB's {@code uint64add} merge operator).
 * Writes go through one {@link GroupCommitWriter}; reads of the latest appends are answered from a
 * {@link BodyCache}, the others run on a small dedicated pool.
 */
public final class RocksMessageStore implements MessageStore {

  private static final Logger LOG = LoggerFactory.getLogger(RocksMessageStore.class);
  // A write-ahead log is deleted only once every column family has flushed what it holds, and the small
  // families (queues, subscriptions, purges) take so few writes that they never fill a memtable: one early
  // write pins every later log, and by default RocksDB only steps in at four times the sum of all memtables
  // (4 GB here). Past this total, it flushes the families holding the oldest log, which lets that log go.
  // The on-disk format this build writes and the newest it reads (kept in StoreFormat, where `ferry restore`
  // checks backups against it); raise it there when the layout changes.
  static final int STORE_FORMAT = StoreFormat.MESSAGING;
  /** The default bound of the body cache ({@code messaging.body-cache-bytes}). */
  public static final long DEFAULT_BODY_CACHE_BYTES = 32L << 20;
  static final long MAX_TOTAL_WAL_BYTES = 64L * 1024 * 1024;
  // RocksDB's own info log otherwise starts a new file at every open and keeps 1000 of them.
  private static final long INFO_LOG_FILE_BYTES = 8L * 1024 * 1024;
  private static final int INFO_LOG_FILES_KEPT = 4;

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final DBOptions dbOptions;
  private final RocksFamilies families;
  private final List<ColumnFamilyHandle> handles;
  private final RocksDB db;
  private final ColumnFamilyHandle queues;
  private final ColumnFamilyHandle sequences;
  private final ColumnFamilyHandle subscriptions;
  private final ColumnFamilyHandle messages;
  private final ColumnFamilyHandle pending;
  private final ColumnFamilyHandle purges;
  private final ColumnFamilyHandle counters;
  private final BodyCache bodies;
  private final GroupCommitWriter writer;
  private final ExecutorService readers;
  private final ExecutorService compactor;
  private final CompactRangeOptions compaction = new CompactRangeOptions();
  private volatile boolean open = true;

  private RocksMessageStore(Path directory, DBOptions dbOptions, RocksFamilies families,
      List<ColumnFamilyHandle> handles, RocksDB db, long bodyCacheBytes) {
    this.directory = directory;
    this.dbOptions = dbOptions;
    this.families = families;
    this.handles = handles;
    this.db = db;
    this.queues = handles.get(1);
    this.sequences = handles.get(2);
    this.subscriptions = handles.get(3);
    this.messages = handles.get(4);
    this.pending = handles.get(5);
    this.purges = handles.get(6);
    this.counters = handles.get(7);
    this.bodies = new BodyCache(bodyCacheBytes);
    this.writer = new GroupCommitWriter(db,
        new RocksMutations(queues, sequences, subscriptions, messages, pending, purges, counters), bodies,
        "ferry-messaging-writer");
    AtomicInteger readerCount = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "ferry-messaging-reader-" + readerCount.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // One thread: compactions after deletions are rare and must not compete with the writer for the disk.
    this.compactor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "ferry-messaging-compactor");
      thread.setDaemon(true);
      return thread;
    });
    writer.start();
  }

  /** Opens the store with the default body cache; see {@link #open(Path, long)}. */
  public static RocksMessageStore open(Path directory) {
    return open(directory, DEFAULT_BODY_CACHE_BYTES);
  }

  /**
   * Opens (creating if needed) the store in {@code directory}, keeping up to {@code bodyCacheBytes} of the
   * latest appends in memory for pulls. Blocking: call it off the event loop.
   */
  public static RocksMessageStore open(Path directory, long bodyCacheBytes) {
    try {
      PrivateFiles.createDirectories(directory);
      PrivateFiles.restrictTree(directory);
      StoreFormat.requireReadable(directory, STORE_FORMAT);
      DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
          .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
          .setMaxLogFileSize(INFO_LOG_FILE_BYTES)
          .setKeepLogFileNum(INFO_LOG_FILES_KEPT)
          .setListeners(List.of(new PrivateRocksFiles(directory)));
      RocksFamilies families = new RocksFamilies();
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      // Missing families (a store created before one was added) are created empty on open.
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), families.descriptors(), handles);
      try {
        StoreFormat.checkAndStamp(db, directory, STORE_FORMAT);
      } catch (StoreFormat.TooNewException | RocksDBException refused) {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        throw refused;
      }
      PrivateFiles.restrictTree(directory);
      LOG.info("message store open at {}", directory);
      return new RocksMessageStore(directory, dbOptions, families, handles, db, bodyCacheBytes);
    } catch (IOException | RocksDBException e) {
      throw new IllegalStateException("cannot open message store at " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    Future<Void> written = writer.submit(batch);
    List<Runnable> compactions = compactionsAfter(batch);
    if (!compactions.isEmpty()) {
      written.onSuccess(v -> compactions.forEach(this::compactLater));
    }
    return written;
  }

  // A deleted queue or subscription, or a finished purge, leaves one range tombstone over data that may sit
  // in files no ordinary compaction touches again once writes stop (nothing new overlaps them): its disk space
  // would come back only by chance. Compacting the range drops the data and the tombstone at once. Retention
  // removes ranges too, but a little at every sweep: ordinary compactions keep up with those.
  private List<Runnable> compactionsAfter(StoreBatch batch) {
    List<Runnable> compactions = new ArrayList<>();
    boolean purgeFinished = batch.mutations().stream()
        .anyMatch(m -> m instanceof StoreBatch.PutPurge put && put.purge().completed());
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.DeleteQueue delete) {
        compactions.add(() -> compact(messages, delete.queueId()));
      } else if (mutation instanceof StoreBatch.DeleteSubscription delete) {
        compactions.add(() -> compact(pending, delete.subscriptionId()));
      } else if (purgeFinished && mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
        compactions.add(() -> compact(messages, delete.queueId()));
      } else if (purgeFinished && mutation instanceof StoreBatch.DeletePendingThrough delete) {
        compactions.add(() -> compact(pending, delete.subscriptionId()));
      }
    }
    return compactions;
  }

  private void compactLater(Runnable compaction) {
    try {
      compactor.execute(compaction);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: the next open's ordinary compactions reclaim the space instead.
    }
  }

  private void compact(ColumnFamilyHandle family, String id) {
    if (!open) {
      return;
    }
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.compactRange(family, RocksCodec.sequenceKey(id, 0), RocksCodec.sequenceKeyEnd(id), compaction);
      // The log that held the deleted data is still pinned by the other families' memtables until they flush.
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      LOG.warn("could not compact the deleted range of {}: {}", id, e.getMessage());
    }
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    return onReader(() -> {
      new RocksStartupScan(db, queues, sequences, subscriptions, purges, messages, pending, counters)
          .visit(visitor);
      return null;
    });
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> wanted) {
    List<Long> sequenceList = List.copyOf(wanted);
    if (sequenceList.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Long> missing = new ArrayList<>();
    Map<Long, StoredMessage> held = bodies.get(queueId, sequenceList, missing);
    if (missing.isEmpty() && open) {
      // Already complete: the caller's callbacks run on its own thread, with no hop to a reader.
      return Future.succeededFuture(BodyCache.inAskedOrder(sequenceList, held));
    }
    return onReader(() -> {
      List<byte[]> keys = new ArrayList<>(missing.size());
      List<ColumnFamilyHandle> families = new ArrayList<>(missing.size());
      for (long sequence : missing) {
        keys.add(RocksCodec.sequenceKey(queueId, sequence));
        families.add(messages);
      }
      List<byte[]> values = db.multiGetAsList(families, keys);
      Map<Long, StoredMessage> found = new HashMap<>(held);
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) {
          found.put(missing.get(i), RocksCodec.message(queueId, missing.get(i), values.get(i)));
        }
      }
      return BodyCache.inAskedOrder(sequenceList, found);
    });
  }

  /** Bytes the body cache holds now (for tests). */
  long bodyCacheBytes() {
    return bodies.heldBytes();
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key,
      int limit) {
    return onReader(() -> {
      byte[] prefix = RocksCodec.idKey(queueId);
      byte[] wantedKey = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
      List<StoredMessage> found = new ArrayList<>();
      try (RocksIterator it = db.newIterator(messages)) {
        for (it.seek(RocksCodec.sequenceKey(queueId, Math.max(0, fromSequence)));
            it.isValid() && found.size() < limit && RocksCodec.hasPrefix(it.key(), prefix); it.next()) {
          long sequence = RocksCodec.sequenceOf(it.key());
          if (sequence > toSequence) {
            break;
          }
          byte[] value = it.value();
          if (wantedKey == null || RocksCodec.frameIdEquals(value, wantedKey)) {
            found.add(RocksCodec.message(queueId, sequence, value));
          }
        }
        it.status();
      }
      return found;
    });
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return onReader(() -> {
      byte[] prefix = RocksCodec.idKey(queueId);
      List<MessageHeader> found = new ArrayList<>();
      // Only the start of each value is copied: a listing of large messages must not read their bodies.
      byte[] start = new byte[RocksCodec.META_PREFIX_BYTES];
      try (RocksIterator it = db.newIterator(messages)) {
        for (it.seek(RocksCodec.sequenceKey(queueId, Math.max(0, fromSequence)));
            it.isValid() && found.size() < limit && RocksCodec.hasPrefix(it.key(), prefix); it.next()) {
          long sequence = RocksCodec.sequenceOf(it.key());
          if (sequence > toSequence) {
            break;
          }
          it.value(start);
          found.add(RocksCodec.header(sequence, start));
        }
        it.status();
      }
      return found;
    });
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> wanted) {
    List<Long> sequenceList = List.copyOf(wanted);
    if (sequenceList.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return onReader(() -> {
      List<MessageHeader> found = new ArrayList<>(sequenceList.size());
      // As for a range: only the start of each value is copied, never a body.
      byte[] start = new byte[RocksCodec.META_PREFIX_BYTES];
      for (long sequence : sequenceList) {
        if (db.get(messages, RocksCodec.sequenceKey(queueId, sequence), start) != RocksDB.NOT_FOUND) {
          found.add(RocksCodec.header(sequence, start));
        }
      }
      return found;
    });
  }

  @Override
  public long syncCount() {
    return writer.syncCount();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Future<Void> close() {
    ContextCompletion<Void> completion = new ContextCompletion<>();
    Thread closer = new Thread(() -> {
      try {
        closeBlocking();
        completion.succeed(null);
      } catch (RuntimeException | InterruptedException e) {
        completion.fail(e);
      }
    }, "ferry-messaging-store-close");
    closer.start();
    return completion.future();
  }

  private synchronized void closeBlocking() throws InterruptedException {
    if (!open) {
      return;
    }
    open = false;
    compaction.setCanceled(true);
    compactor.shutdown();
    compactor.awaitTermination(30, TimeUnit.SECONDS);
    writer.drainAndStop();
    readers.shutdown();
    readers.awaitTermination(10, TimeUnit.SECONDS);
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    db.close();
    PrivateFiles.tryRestrictTree(directory);
    families.close();
    compaction.close();
    dbOptions.close();
    LOG.info("message store at {} closed", directory);
  }

  // On a reader thread: RocksDB takes the checkpoint consistently while the writer goes on committing, and
  // every commit acknowledged before it is in the copy.
  @Override
  public Future<StoreCheckpoint> checkpoint(Path target) {
    return onReader("checkpoint", () -> RocksCheckpoints.create("messaging", db, target));
  }

  private <T> Future<T> onReader(Callable<T> read) {
    return onReader("read", read);
  }

  // A FerryException is the task's own answer and passes through; anything else is logged and reported as
  // an internal failure of that kind of task.
  private <T> Future<T> onReader(String task, Callable<T> read) {
    ContextCompletion<T> completion = new ContextCompletion<>();
    if (!open) {
      completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
      return completion.future();
    }
    try {
      readers.execute(() -> {
        try {
          completion.succeed(read.call());
        } catch (FerryException e) {
          completion.fail(e);
        } catch (Exception | Error e) {
          // Errors too (e.g. a failed assertion inside RocksJava): a reader that dies silently hangs the caller.
          LOG.error("message store {} failed", task, e);
          completion.fail(new FerryException(ErrorCode.INTERNAL, "storage " + task + " failed"));
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
    }
    return completion.future();
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread drains every commit queued since its last sync into one {@link WriteBatch},
 * writes it with {@code sync=true} and then completes each commit on its caller's context. Concurrent
 * requests therefore share one fsync, and commits become durable in the order they were asked for.
 */
final class GroupCommitWriter {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  // Bounds one sync's latency for the commits at the front of the group.
  private static final int MAX_COMMITS_PER_SYNC = 4096;

  interface Applier {
    void apply(StoreBatch batch, SerializedWriteBatch into);
  }

  private record Commit(StoreBatch batch, ContextCompletion<Void> completion) {
  }

  private static final Commit STOP = new Commit(null, null);

  private final RocksDB db;
  private final Applier applier;
  private final BodyCache bodies;
  private final BlockingQueue<Commit> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong syncs = new AtomicLong();
  // Only the writer thread touches it.
  private final SerializedWriteBatch batch = new SerializedWriteBatch();
  private volatile boolean accepting = true;

  GroupCommitWriter(RocksDB db, Applier applier, BodyCache bodies, String name) {
    this.db = db;
    this.applier = applier;
    this.bodies = bodies;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Future<Void> submit(StoreBatch batch) {
    ContextCompletion<Void> completion = new ContextCompletion<>();
    if (!accepting) {
      completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
    } else if (batch.isEmpty()) {
      completion.succeed(null);
    } else {
      queue.add(new Commit(batch, completion));
    }
    return completion.future();
  }

  long syncCount() {
    return syncs.get();
  }

  void drainAndStop() throws InterruptedException {
    accepting = false;
    queue.add(STOP);
    thread.join();
    for (Commit late; (late = queue.poll()) != null; ) {
      if (late != STOP) {
        late.completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message store is closed"));
      }
    }
  }

  private void run() {
    List<Commit> group = new ArrayList<>();
    boolean stopping = false;
    try (WriteOptions syncWrites = new WriteOptions().setSync(true)) {
      while (!stopping) {
        group.clear();
        try {
          group.add(queue.take());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        queue.drainTo(group, MAX_COMMITS_PER_SYNC - 1);
        int stopAt = group.indexOf(STOP);
        if (stopAt >= 0) {
          stopping = true;
          // Commits queued behind the stop marker were refused by submit() only if they raced it; keep them.
          group.remove(stopAt);
          queue.drainTo(group);
          group.remove(STOP);
        }
        if (!group.isEmpty()) {
          writeGroup(group, syncWrites);
        }
      }
    }
  }

  private void writeGroup(List<Commit> group, WriteOptions syncWrites) {
    List<Commit> written = new ArrayList<>(group.size());
    batch.clear();
    for (Commit commit : group) {
      SerializedWriteBatch.Mark mark = batch.mark();
      try {
        applier.apply(commit.batch, batch);
        written.add(commit);
      } catch (RuntimeException e) {
        // One bad commit must not take the others of its group down with it.
        batch.rollBackTo(mark);
        bodies.notWritten(commit.batch);
        LOG.error("commit rejected before writing", e);
        commit.completion.fail(new FerryException(ErrorCode.INTERNAL, "storage write failed"));
      }
    }
    if (written.isEmpty()) {
      return;
    }
    try (WriteBatch rocksBatch = batch.toWriteBatch()) {
      db.write(syncWrites, rocksBatch);
      syncs.incrementAndGet();
    } catch (RocksDBException e) {
      LOG.error("group commit of {} batches failed", written.size(), e);
      for (Commit commit : written) {
        bodies.notWritten(commit.batch);
        commit.completion.fail(new FerryException(ErrorCode.UNAVAILABLE, "message storage is failing"));
      }
      return;
    }
    // The cache follows the store before the callers hear of it, so a read that follows a commit sees it.
    for (Commit commit : written) {
      bodies.written(commit.batch);
      commit.completion.succeed(null);
    }
  }
}

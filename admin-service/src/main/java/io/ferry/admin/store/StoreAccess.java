package io.ferry.admin.store;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rocksdb.RocksDBException;

// What every area of RocksAdminStore shares: the one store thread, the database and the in-memory index.
// Writes and check-then-write work run on the store thread, which hands them the database; lookups read the
// index on the caller's thread.
final class StoreAccess {

  final AdminIndex index = new AdminIndex();
  private final StoreThread thread;
  // Set and cleared only on the store thread.
  private RocksRecords records;
  private volatile boolean open;

  StoreAccess(Vertx vertx) {
    this.thread = new StoreThread(vertx, "ferry-admin-store");
  }

  interface Work<T> {
    T run(RocksRecords records) throws Exception;
  }

  interface Write {
    void run(RocksRecords records) throws RocksDBException;
  }

  // Opens (creating if needed) the database in dir and loads the index; `then` runs before any other task.
  <T> Future<T> open(Path dir, SecretSeal seal, Work<T> then) {
    return thread.submit(() -> {
      records = RocksRecords.open(dir, index, seal);
      T opened = then.run(records);
      open = true;
      return opened;
    });
  }

  boolean isOpen() {
    return open;
  }

  Future<Void> close() {
    open = false;
    return thread.finish(() -> {
      if (records != null) {
        records.close();
        records = null;
      }
      return null;
    });
  }

  <T> Future<T> submit(Work<T> work) {
    return thread.submit(() -> work.run(requireOpen()));
  }

  Future<Void> write(Write work) {
    return submit(records -> {
      work.run(records);
      return null;
    });
  }

  // Deletes a record that the index keeps by its id; a missing record is a no-op.
  Future<Void> delete(String kind, Map<String, ?> byId, String id) {
    return write(records -> {
      records.delete(kind, id);
      byId.remove(id);
    });
  }

  <T> Future<T> read(Callable<T> lookup) {
    if (!open) {
      return Future.failedFuture(StoreThread.closed());
    }
    try {
      return Future.succeededFuture(lookup.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  void requireQueue(String queueId) {
    if (!index.queues.containsKey(queueId)) {
      throw new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue " + queueId + " not found");
    }
  }

  static <T> T requireFound(T record, String what, String id) {
    if (record == null) {
      throw new FerryException(ErrorCode.NOT_FOUND, what + " " + id + " not found");
    }
    return record;
  }

  private RocksRecords requireOpen() {
    // Writes queued before close() still run: records is cleared only by the close task, which runs last.
    if (records == null) {
      throw StoreThread.closed();
    }
    return records;
  }
}

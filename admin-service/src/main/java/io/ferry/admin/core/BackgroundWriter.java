package io.ferry.admin.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Writes records in the background for callers that must never wait on the store: one write at a time, and
// records that arrive meanwhile go together in the next, so a burst costs a few synced writes, not one each.
// Past maxPending unwritten records (the store is stuck) the oldest are dropped rather than memory grown.
final class BackgroundWriter<T> {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundWriter.class);

  private final String what;
  private final int maxPending;
  private final Function<List<T>, Future<Void>> write;
  private final Deque<T> pending = new ArrayDeque<>();
  private final List<Promise<Void>> flushes = new ArrayList<>();
  private boolean writing;
  private long dropped;

  BackgroundWriter(String what, int maxPending, Function<List<T>, Future<Void>> write) {
    this.what = what;
    this.maxPending = maxPending;
    this.write = write;
  }

  synchronized void addAll(List<T> records) {
    for (T record : records) {
      if (pending.size() >= maxPending) {
        pending.removeFirst();
        if (dropped++ % 1_000 == 0) {
          LOG.warn("{}: the store is not keeping up; {} records dropped so far", what, dropped);
        }
      }
      pending.addLast(record);
    }
    if (!writing && !pending.isEmpty()) {
      writeNext();
    }
  }

  // Completes once every record added so far has been written (or its write has failed).
  synchronized Future<Void> flush() {
    if (!writing && pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> flushed = Promise.promise();
    flushes.add(flushed);
    return flushed.future();
  }

  private void writeNext() {
    List<T> batch = new ArrayList<>(pending);
    pending.clear();
    writing = true;
    write.apply(batch).onComplete(written -> {
      if (written.failed()) {
        LOG.warn("{}: {} records could not be stored: {}", what, batch.size(), written.cause().getMessage());
      }
      List<Promise<Void>> done = List.of();
      synchronized (this) {
        writing = false;
        if (!pending.isEmpty()) {
          writeNext();
        } else {
          done = new ArrayList<>(flushes);
          flushes.clear();
        }
      }
      done.forEach(Promise::tryComplete);
    });
  }
}

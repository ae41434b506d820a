package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.MessageHeader;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredStateVisitor;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that a test can take away as a database outage would: {@link #goDown()} fails every commit, load and
 * probe UNAVAILABLE without touching the real store, and {@link #loseAnswers(int)} lets commits reach the real
 * store but reports them failed UNAVAILABLE, as a connection lost before the database's answer does.
 */
public final class FaultyMessageStore implements MessageStore {

  private final MessageStore store;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger answersToLose = new AtomicInteger();

  public FaultyMessageStore(MessageStore store) {
    this.store = store;
  }

  public void goDown() {
    down.set(true);
  }

  public void comeBack() {
    down.set(false);
  }

  /** The next {@code commits} commits are written, then reported failed UNAVAILABLE. */
  public void loseAnswers(int commits) {
    answersToLose.set(commits);
  }

  private static FerryException unavailable() {
    return new FerryException(ErrorCode.UNAVAILABLE, "the database does not answer");
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    if (down.get()) {
      return Future.failedFuture(unavailable());
    }
    if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return store.commit(batch).transform(written -> Future.failedFuture(unavailable()));
    }
    return store.commit(batch);
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    return down.get() ? Future.failedFuture(unavailable()) : store.load(visitor);
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    return down.get() ? Future.failedFuture(unavailable()) : store.read(queueId, sequences);
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key, int limit) {
    return down.get() ? Future.failedFuture(unavailable()) : store.scan(queueId, fromSequence, toSequence, key, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return down.get() ? Future.failedFuture(unavailable()) : store.headers(queueId, fromSequence, toSequence, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> sequences) {
    return down.get() ? Future.failedFuture(unavailable()) : store.headers(queueId, sequences);
  }

  @Override
  public long syncCount() {
    return store.syncCount();
  }

  @Override
  public boolean isOpen() {
    return store.isOpen();
  }

  @Override
  public Future<Void> probe() {
    return down.get() ? Future.failedFuture(unavailable()) : store.probe();
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }
}

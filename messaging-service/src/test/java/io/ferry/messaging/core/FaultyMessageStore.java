package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.ForwardingMessageStore;
import io.ferry.messaging.store.MessageHeader;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredStateVisitor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A store that a test can take away as a database outage would: {@link #goDown()} fails every commit, load and
 * probe UNAVAILABLE without touching the real store, and {@link #loseAnswers(int)} lets commits reach the real
 * store but reports them failed OUTCOME_UNKNOWN, as the PostgreSQL store does for a COMMIT whose answer was lost;
 * {@link #holdLoads()} keeps loads waiting.
 */
public final class FaultyMessageStore extends ForwardingMessageStore {

  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger answersToLose = new AtomicInteger();
  private final List<Runnable> heldLoads = new CopyOnWriteArrayList<>();
  private volatile boolean holdingLoads;

  public FaultyMessageStore(MessageStore store) {
    super(store);
  }

  public void goDown() {
    down.set(true);
  }

  public void comeBack() {
    down.set(false);
  }

  /** The next {@code commits} commits that write something are written, then reported failed UNAVAILABLE. */
  public void loseAnswers(int commits) {
    answersToLose.set(commits);
  }

  /** Loads from now on wait for {@link #releaseLoads()}, as a long recovery scan would. */
  public void holdLoads() {
    holdingLoads = true;
  }

  /** How many loads wait for {@link #releaseLoads()}. */
  public int heldLoads() {
    return heldLoads.size();
  }

  public void releaseLoads() {
    holdingLoads = false;
    List<Runnable> released = List.copyOf(heldLoads);
    heldLoads.clear();
    released.forEach(Runnable::run);
  }

  private static FerryException unavailable() {
    return new FerryException(ErrorCode.UNAVAILABLE, "the database does not answer");
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    if (down.get()) {
      return Future.failedFuture(unavailable());
    }
    // Every shard's sweep commits its (mostly empty) batch of delivery attempts; losing that answer instead of
    // the test's would make another shard reload than the one the test watches.
    if (!batch.isEmpty() && answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return super.commit(batch).transform(written -> Future.failedFuture(
          FerryException.outcomeUnknown("the database did not confirm the commit")));
    }
    return super.commit(batch);
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    if (!holdingLoads) {
      return unlessDown(() -> super.load(visitor));
    }
    Context caller = Vertx.currentContext();
    Promise<Void> loaded = Promise.promise();
    heldLoads.add(() -> caller.runOnContext(v -> unlessDown(() -> super.load(visitor)).onComplete(loaded)));
    return loaded.future();
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    return unlessDown(() -> super.read(queueId, sequences));
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key, int limit) {
    return unlessDown(() -> super.scan(queueId, fromSequence, toSequence, key, limit));
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return unlessDown(() -> super.headers(queueId, fromSequence, toSequence, limit));
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> sequences) {
    return unlessDown(() -> super.headers(queueId, sequences));
  }

  @Override
  public Future<Void> probe() {
    return unlessDown(super::probe);
  }

  private <T> Future<T> unlessDown(Supplier<Future<T>> call) {
    return down.get() ? Future.failedFuture(unavailable()) : call.get();
  }
}

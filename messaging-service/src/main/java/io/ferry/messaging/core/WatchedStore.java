package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.messaging.store.ForwardingMessageStore;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The store as one generation of the engine's state uses it. A commit that fails OUTCOME_UNKNOWN (the
 * PostgreSQL store's COMMIT whose answer was lost) may have reached the store, and so may one that fails
 * UNAVAILABLE (a RocksDB sync that failed; the store being away, which is harmless to resync on), so the state
 * that rolled it back may be behind what is durable: such a failure is reported to {@code outcomeUnknown}. Once
 * {@link #fence}d, no commit of this generation reaches the store any more, and the fence completes when those
 * in flight have settled, so that a reload sees everything this generation will ever write. Used on the engine
 * thread only.
 */
final class WatchedStore extends ForwardingMessageStore {

  private final Consumer<Throwable> outcomeUnknown;
  private boolean fenced;
  private Supplier<RuntimeException> refusal = Resync::unavailable;
  private int inFlight;
  private Promise<Void> drained;

  WatchedStore(MessageStore store, Consumer<Throwable> outcomeUnknown) {
    super(store);
    this.outcomeUnknown = outcomeUnknown;
  }

  static boolean outcomeUnknown(Throwable failure) {
    ErrorCode code = FerryException.from(failure).code();
    return code == ErrorCode.UNAVAILABLE || code == ErrorCode.OUTCOME_UNKNOWN;
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    if (fenced) {
      return Future.failedFuture(refusal.get());
    }
    inFlight++;
    return super.commit(batch).andThen(written -> {
      inFlight--;
      if (written.failed() && outcomeUnknown(written.cause())) {
        outcomeUnknown.accept(written.cause());
      }
      if (inFlight == 0 && drained != null) {
        drained.tryComplete();
      }
    });
  }

  /**
   * Stops this generation's commits; completes once none is in flight. A commit asked for later fails with
   * {@code refusal}'s exception: it never reached the store.
   */
  Future<Void> fence(Supplier<RuntimeException> refusal) {
    this.refusal = refusal;
    fenced = true;
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }
}

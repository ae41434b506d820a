package io.ferry.messaging;

import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.MessageHeader;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredStateVisitor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * A real store whose appends can be held back, as a slow disk would: while the gate is closed, commits that
 * append messages wait; opening it hands them to the store in order, on the context that asked.
 */
final class GatedStore implements MessageStore {

  private record Held(StoreBatch batch, Context context, Promise<Void> promise) {
  }

  private final MessageStore store;
  private final List<Held> held = new ArrayList<>();
  private boolean closed;

  GatedStore(MessageStore store) {
    this.store = store;
  }

  synchronized void hold() {
    closed = true;
  }

  void release() {
    List<Held> released;
    synchronized (this) {
      closed = false;
      released = List.copyOf(held);
      held.clear();
    }
    for (Held h : released) {
      h.context().runOnContext(v -> store.commit(h.batch()).onComplete(h.promise()));
    }
  }

  /**
   * Opens the gate but hands the held commits to the store newest first, each once the one before it is
   * durable: a store that completes commits out of order (as one with several writers may).
   */
  void releaseNewestFirst() {
    List<Held> released;
    synchronized (this) {
      closed = false;
      released = new ArrayList<>(held);
      held.clear();
    }
    java.util.Collections.reverse(released);
    commitInTurn(released, 0);
  }

  private void commitInTurn(List<Held> released, int next) {
    if (next == released.size()) {
      return;
    }
    Held h = released.get(next);
    h.context().runOnContext(v -> store.commit(h.batch()).onComplete(result -> {
      h.promise().handle(result);
      commitInTurn(released, next + 1);
    }));
  }

  synchronized int heldCount() {
    return held.size();
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    boolean appends = batch.mutations().stream().anyMatch(m -> m instanceof StoreBatch.AppendMessage);
    synchronized (this) {
      if (closed && appends) {
        Promise<Void> promise = Promise.promise();
        held.add(new Held(batch, Vertx.currentContext(), promise));
        return promise.future();
      }
    }
    return store.commit(batch);
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    return store.load(visitor);
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    return store.read(queueId, sequences);
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key, int limit) {
    return store.scan(queueId, fromSequence, toSequence, key, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return store.headers(queueId, fromSequence, toSequence, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> sequences) {
    return store.headers(queueId, sequences);
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
  public Future<Void> close() {
    return store.close();
  }
}

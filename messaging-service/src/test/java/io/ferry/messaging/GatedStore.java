package io.ferry.messaging;

import io.ferry.messaging.store.ForwardingMessageStore;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
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
final class GatedStore extends ForwardingMessageStore {

  private record Held(StoreBatch batch, Context context, Promise<Void> promise) {
  }

  private final List<Held> held = new ArrayList<>();
  private boolean closed;

  GatedStore(MessageStore store) {
    super(store);
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
      h.context().runOnContext(v -> delegate().commit(h.batch()).onComplete(h.promise()));
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
    h.context().runOnContext(v -> delegate().commit(h.batch()).onComplete(result -> {
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
    return delegate().commit(batch);
  }
}

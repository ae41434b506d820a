package io.ferry.messaging.store;

import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link MessageStore} that hands every call to another one: the base of stores that watch, hold back or
 * fail some calls of a real store, so that each overrides only what it changes and a new store method is
 * forwarded here once. Every call is forwarded but {@link #forShard}, which answers this store: a store on top
 * of another sees every commit, so its shards commit in one order.
 */
public abstract class ForwardingMessageStore implements MessageStore {

  private final MessageStore delegate;

  protected ForwardingMessageStore(MessageStore delegate) {
    this.delegate = delegate;
  }

  /** The store calls are handed to. */
  protected final MessageStore delegate() {
    return delegate;
  }

  @Override
  public Future<Void> commit(StoreBatch batch) {
    return delegate.commit(batch);
  }

  // The underlying store's shard view would bypass this one's overrides.
  @Override
  public MessageStore forShard(int shard) {
    return this;
  }

  // Who may write is the underlying store's to say, whatever wraps it.
  @Override
  public ShardOwnership shardOwnership(int shards) {
    return delegate.shardOwnership(shards);
  }

  @Override
  public Future<Void> load(StoredStateVisitor visitor) {
    return delegate.load(visitor);
  }

  @Override
  public Future<List<StoredMessage>> read(String queueId, List<Long> sequences) {
    return delegate.read(queueId, sequences);
  }

  @Override
  public Future<List<StoredMessage>> scan(String queueId, long fromSequence, long toSequence, String key, int limit) {
    return delegate.scan(queueId, fromSequence, toSequence, key, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, long fromSequence, long toSequence, int limit) {
    return delegate.headers(queueId, fromSequence, toSequence, limit);
  }

  @Override
  public Future<List<MessageHeader>> headers(String queueId, List<Long> sequences) {
    return delegate.headers(queueId, sequences);
  }

  @Override
  public long syncCount() {
    return delegate.syncCount();
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public Future<Void> probe() {
    return delegate.probe();
  }

  @Override
  public Future<StoreCheckpoint> checkpoint(Path target) {
    return delegate.checkpoint(target);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}

package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes that {@link MessageStore#commit} makes durable together, all or none. The mutations are plain
 * records so that every store implementation applies the same vocabulary; they are applied in order.
 */
public final class StoreBatch {

  /** One change to the store. */
  public sealed interface Mutation permits PutQueue, DeleteQueue, PutSubscription, DeleteSubscription,
      AppendMessage, DeleteMessage, DeleteMessagesThrough, CreatePending, PutPending, DeletePending, DeletePendingThrough,
      PutPurge, AddAcknowledged, HandLease, DeleteHandedLeases {
  }

  /** Creates or replaces a queue record. */
  public record PutQueue(QueueInfo queue) implements Mutation {
  }

  /** Removes a queue record, its sequence head, its purge record and every message of the queue. */
  public record DeleteQueue(String queueId) implements Mutation {
  }

  /** Creates or replaces a subscription record. */
  public record PutSubscription(SubscriptionSpec subscription) implements Mutation {
  }

  /** Removes a subscription record, every pending entry of the subscription and its counters. */
  public record DeleteSubscription(String subscriptionId) implements Mutation {
  }

  /** Stores a message and raises its queue's sequence head to the message's sequence. */
  public record AppendMessage(StoredMessage message) implements Mutation {
  }

  /** Removes one message. */
  public record DeleteMessage(String queueId, long sequence) implements Mutation {
  }

  /** Removes every message of a queue with a sequence up to {@code lastSequence} (retention, purge). */
  public record DeleteMessagesThrough(String queueId, long lastSequence) implements Mutation {
  }

  /**
   * Creates the delivery state of a message a push appends in the same batch (attempts 0, not missed): the row
   * is new by construction, since a push's sequences are above every sequence its queue ever had. A store may
   * write it as a plain insert and fail the batch if the row exists after all, rather than overwrite it; a
   * later {@link PutPending} of the same row (a retry, a nack, a lease given back) replaces it as usual.
   */
  public record CreatePending(PendingRecord pending) implements Mutation {
  }

  /** Creates or replaces the delivery state of one message for one subscription. */
  public record PutPending(PendingRecord pending) implements Mutation {
  }

  /** Removes the delivery state of one message for one subscription: it is resolved. */
  public record DeletePending(String subscriptionId, long sequence) implements Mutation {
  }

  /** Removes a subscription's delivery state of every message up to {@code lastSequence}. */
  public record DeletePendingThrough(String subscriptionId, long lastSequence) implements Mutation {
  }

  /** Records the last purge of a queue (replacing the previous one). */
  public record PutPurge(PurgeRecord purge) implements Mutation {
  }

  /**
   * Adds {@code count} to the subscription's acknowledged counter (acks since it was created), atomically with
   * the rest of the batch, so the counter is exact whatever else fails.
   */
  public record AddAcknowledged(String subscriptionId, long count) implements Mutation {
  }

  /**
   * Records a lease out when its shard is given up gracefully, for the shard's next owner to restore. Only a
   * store shared by instances keeps it: an embedded store's shards never move, so it ignores it.
   */
  public record HandLease(HandedLease lease) implements Mutation {
  }

  /** Removes every lease handed over with shard {@code shard}: its new owner restored them. */
  public record DeleteHandedLeases(int shard) implements Mutation {
  }

  private final List<Mutation> mutations = new ArrayList<>();

  public StoreBatch putQueue(QueueInfo queue) {
    return add(new PutQueue(queue));
  }

  public StoreBatch deleteQueue(String queueId) {
    return add(new DeleteQueue(queueId));
  }

  public StoreBatch putSubscription(SubscriptionSpec subscription) {
    return add(new PutSubscription(subscription));
  }

  public StoreBatch deleteSubscription(String subscriptionId) {
    return add(new DeleteSubscription(subscriptionId));
  }

  public StoreBatch append(StoredMessage message) {
    return add(new AppendMessage(message));
  }

  public StoreBatch deleteMessage(String queueId, long sequence) {
    return add(new DeleteMessage(queueId, sequence));
  }

  public StoreBatch deleteMessagesThrough(String queueId, long lastSequence) {
    return add(new DeleteMessagesThrough(queueId, lastSequence));
  }

  /** The pending entry of a message this batch appends: see {@link CreatePending}. */
  public StoreBatch createPending(String subscriptionId, long sequence, long availableAtMs) {
    return add(new CreatePending(new PendingRecord(subscriptionId, sequence, 0, availableAtMs)));
  }

  public StoreBatch putPending(String subscriptionId, long sequence, int attempts, long availableAtMs) {
    return add(new PutPending(new PendingRecord(subscriptionId, sequence, attempts, availableAtMs)));
  }

  /**
   * Holds the message as missed for the subscription: kept, never available until redelivered. A missed record's
   * available-at time is when it was missed.
   */
  public StoreBatch putMissed(String subscriptionId, long sequence, int attempts, long missedAtMs) {
    return add(new PutPending(new PendingRecord(subscriptionId, sequence, attempts, missedAtMs, true)));
  }

  public StoreBatch addAcknowledged(String subscriptionId, long count) {
    return add(new AddAcknowledged(subscriptionId, count));
  }

  public StoreBatch deletePending(String subscriptionId, long sequence) {
    return add(new DeletePending(subscriptionId, sequence));
  }

  public StoreBatch deletePendingThrough(String subscriptionId, long lastSequence) {
    return add(new DeletePendingThrough(subscriptionId, lastSequence));
  }

  public StoreBatch putPurge(PurgeRecord purge) {
    return add(new PutPurge(purge));
  }

  public StoreBatch handLease(HandedLease lease) {
    return add(new HandLease(lease));
  }

  public StoreBatch deleteHandedLeases(int shard) {
    return add(new DeleteHandedLeases(shard));
  }

  /** Adds every mutation of {@code other}, after this batch's own. */
  public StoreBatch addAll(StoreBatch other) {
    mutations.addAll(other.mutations);
    return this;
  }

  public List<Mutation> mutations() {
    return mutations;
  }

  public boolean isEmpty() {
    return mutations.isEmpty();
  }

  private StoreBatch add(Mutation mutation) {
    mutations.add(mutation);
    return this;
  }
}

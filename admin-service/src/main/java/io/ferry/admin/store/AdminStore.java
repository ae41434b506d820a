package io.ferry.admin.store;

import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * Durable records of admin-service: accounts, API keys, queues, consumers, listeners and server settings. Every write is
 * durable when its future succeeds; lookups of missing records succeed with {@code null}. Lists are in
 * creation order. Futures complete on the caller's Vert.x context.
 *
 * <p>Invariants the store itself enforces, so that concurrent requests cannot break them: queue names are
 * unique per account ({@code NAME_TAKEN}), a queue has at most one consumer of each type
 * ({@code CONSUMER_CONFLICT}), and consumers and listeners only attach to existing queues
 * ({@code QUEUE_NOT_FOUND}).
 */
public interface AdminStore {

  Future<Void> insertAccount(Account account);

  Future<Account> account(String accountId);

  Future<Account> accountByName(String name);

  Future<List<Account>> accounts();

  Future<Void> insertApiKey(ApiKey key);

  Future<ApiKey> apiKeyByHash(String keyHash);

  Future<List<ApiKey>> apiKeys(String accountId);

  Future<Void> insertQueue(QueueInfo queue);

  Future<QueueInfo> queue(String queueId);

  Future<QueueInfo> queueByName(String accountId, String name);

  Future<List<QueueInfo>> queues(String accountId);

  Future<List<QueueInfo>> allQueues();

  /** Deletes the queue together with its consumers and listeners, atomically; a missing queue is a no-op. */
  Future<Void> deleteQueue(String queueId);

  Future<Void> insertConsumer(QueueConsumer consumer);

  /** Overwrites an existing consumer; fails NOT_FOUND when it is gone. */
  Future<Void> updateConsumer(QueueConsumer consumer);

  Future<Void> deleteConsumer(String consumerId);

  Future<List<QueueConsumer>> consumers(String queueId);

  Future<List<QueueConsumer>> allConsumers();

  Future<Void> insertListener(Listener listener);

  Future<Void> deleteListener(String listenerId);

  Future<Listener> listener(String listenerId);

  Future<List<Listener>> listeners(String queueId);

  Future<List<Listener>> accountListeners(String accountId);

  Future<List<Listener>> allListeners();

  /**
   * The value of a server setting (e.g. a generated secret), storing {@code initial} first when there is
   * none yet; every caller, however concurrent, gets the one value that was kept.
   */
  Future<String> settingOrInit(String name, String initial);

  boolean isOpen();

  /** Flushes and closes; later calls fail with UNAVAILABLE. */
  Future<Void> close();
}

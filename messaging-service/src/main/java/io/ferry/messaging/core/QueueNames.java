package io.ferry.messaging.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Queue ids by account and name, for every shard of the process: a request naming its queue (Sonya's send)
 * is routed by it to the queue's shard. Each shard keeps its own queues' entries; a stale entry (a queue gone
 * while its shard reloaded) only routes to a shard that answers QUEUE_NOT_FOUND. Any thread.
 */
final class QueueNames {

  private final ConcurrentHashMap<String, String> idsByName = new ConcurrentHashMap<>();

  String idOf(String accountId, String name) {
    return idsByName.get(key(accountId, name));
  }

  void put(String accountId, String name, String queueId) {
    idsByName.put(key(accountId, name), queueId);
  }

  void remove(String accountId, String name, String queueId) {
    idsByName.remove(key(accountId, name), queueId);
  }

  private static String key(String accountId, String name) {
    return accountId + '\n' + name;
  }
}

package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.messaging.store.MessageHeader;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Looking at and deleting retained messages outside delivery: metrics, peek, listings and lookups by id,
 * and deletion by id or by key. Only published messages that are neither settled nor being deleted are
 * visible; deletion by key (Sonya's delete by id) also removes settled ones, which are its history.
 */
final class Catalog {

  private static final int KEY_SCAN_PAGE = 10_000;

  private final EngineRuntime runtime;
  private final Removals removals;

  Catalog(EngineRuntime runtime, Removals removals) {
    this.runtime = runtime;
    this.removals = removals;
  }

  QueueMetrics metrics(String accountId, String queueId) {
    return runtime.state.requireQueue(accountId, queueId).metrics();
  }

  Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    RetainedLog log = queue.log;
    List<Long> sequences = new ArrayList<>(batchSize);
    for (int i = log.start(); i < log.end() && sequences.size() < batchSize; i++) {
      if (log.isBacklog(i) && !log.isDeleting(i)) {
        sequences.add(log.sequence(i));
      }
    }
    if (sequences.isEmpty()) {
      // RocksDB's multiGet asserts on an empty key list (with -ea the read never completes).
      return Future.succeededFuture(List.of());
    }
    return runtime.store.read(queue.id(), sequences).map(messages -> {
      SubscriptionState consumer = queue.pullConsumer();
      List<PeekedMessage> peeked = new ArrayList<>(messages.size());
      for (StoredMessage message : messages) {
        peeked.add(new PeekedMessage(message, consumer == null ? 0 : consumer.attemptsOf(message.sequence())));
      }
      return peeked;
    });
  }

  Future<StoredMessage> get(String accountId, String queueId, String messageId) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    return find(queue, List.of(messageId)).map(found -> {
      if (found.isEmpty()) {
        throw new FerryException(ErrorCode.NOT_FOUND, "message " + messageId + " does not exist in queue "
            + queueId);
      }
      return found.get(0);
    });
  }

  /** Deletes one message for every subscription; completes with it as it was. */
  Future<StoredMessage> delete(String accountId, String queueId, String messageId) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    return get(accountId, queueId, messageId).compose(message ->
        removals.remove(queue, List.of(message.sequence())).map(removed -> {
          if (removed.isEmpty()) {
            throw new FerryException(ErrorCode.NOT_FOUND, "message " + messageId + " does not exist in queue "
                + queueId);
          }
          return message;
        }));
  }

  /** Deletes the messages with these ids; completes with the ids that named no retained message. */
  Future<List<String>> deleteByIds(String accountId, String queueId, List<String> messageIds) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    return find(queue, messageIds).compose(found -> {
      List<Long> sequences = found.stream().map(StoredMessage::sequence).toList();
      return removals.remove(queue, sequences).map(removed -> {
        Set<String> deleted = new HashSet<>();
        for (StoredMessage message : found) {
          if (removed.contains(message.sequence())) {
            deleted.add(message.id());
          }
        }
        return messageIds.stream().filter(id -> !deleted.contains(id)).toList();
      });
    });
  }

  /** Deletes every retained message of the queue whose frame id is {@code key}. */
  Future<Void> deleteByKey(String queueId, String key) {
    QueueState queue = runtime.state.requireQueue(null, queueId);
    return collectKeyed(queue, key, 1, new ArrayList<>())
        .compose(sequences -> removals.remove(queue, sequences))
        .mapEmpty();
  }

  /**
   * Up to {@code limit} retained messages of the queue, ordered by sequence, after the message
   * {@code startAfter} (a cursor; {@code null}: from the first).
   */
  Future<List<MessageSummary>> list(String accountId, String queueId, String startAfter, int limit) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    long from = 1;
    if (startAfter != null) {
      if (!MessageIds.mayBelongTo(startAfter, queue.id())) {
        throw invalidCursor("this queue");
      }
      from = MessageIds.sequenceOf(startAfter) + 1;
    }
    return collectListed(queue, from, limit, new ArrayList<>());
  }

  static FerryException invalidCursor(String scope) {
    return FerryException.invalidField("start_after", "is not the id of a message of " + scope);
  }

  // Finds the retained, published messages with these ids (ids that name none are left out).
  private Future<List<StoredMessage>> find(QueueState queue, List<String> messageIds) {
    List<Long> sequences = new ArrayList<>();
    for (String id : messageIds) {
      long sequence = MessageIds.sequenceOf(id);
      if (MessageIds.mayBelongTo(id, queue.id()) && isVisible(queue, sequence)) {
        sequences.add(sequence);
      }
    }
    if (sequences.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Set<String> wanted = new HashSet<>(messageIds);
    return runtime.store.read(queue.id(), sequences).map(messages -> messages.stream()
        .filter(message -> wanted.contains(message.id()) && isVisible(queue, message.sequence())).toList());
  }

  private Future<List<Long>> collectKeyed(QueueState queue, String key, long from, List<Long> found) {
    long head = queue.publishedSequence;
    if (from > head) {
      return Future.succeededFuture(found);
    }
    return runtime.store.headers(queue.id(), from, head, KEY_SCAN_PAGE).compose(headers -> {
      for (MessageHeader header : headers) {
        if (key.equals(header.frameId())) {
          found.add(header.sequence());
        }
      }
      return headers.size() < KEY_SCAN_PAGE ? Future.succeededFuture(found)
          : collectKeyed(queue, key, headers.get(headers.size() - 1).sequence() + 1, found);
    });
  }

  private Future<List<MessageSummary>> collectListed(QueueState queue, long from, int limit,
      List<MessageSummary> listed) {
    int wanted = limit - listed.size();
    if (wanted <= 0 || from > queue.publishedSequence) {
      return Future.succeededFuture(listed);
    }
    return runtime.store.headers(queue.id(), from, queue.publishedSequence, wanted).compose(headers -> {
      for (MessageHeader header : headers) {
        if (isVisible(queue, header.sequence())) {
          listed.add(new MessageSummary(queue.id(), header.id(), header.key()));
        }
      }
      return headers.size() < wanted ? Future.succeededFuture(listed)
          : collectListed(queue, headers.get(headers.size() - 1).sequence() + 1, limit, listed);
    });
  }

  private static boolean isVisible(QueueState queue, long sequence) {
    if (sequence <= 0 || sequence > queue.publishedSequence) {
      return false;
    }
    int index = queue.log.find(sequence);
    return index >= 0 && !queue.log.isDeleting(index) && !queue.log.isSettled(index);
  }
}

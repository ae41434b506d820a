package io.ferry.messaging.store;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drives a store with the writes of traffic that passes through a queue (a batch of messages with their
 * pending entries; then, as acks and retention remove them, their deletion with the acknowledged counter),
 * many commits in flight so the group-commit writer batches them, and measures what the data directory holds.
 */
final class DiskChurn {

  static final int BATCH = 100;
  private static final int IN_FLIGHT = 16;

  final MessageStore store;
  final QueueInfo queue;
  final SubscriptionSpec consumer;
  private final byte[] body;
  private long nextSequence = 1;
  private long ackedThrough;

  DiskChurn(MessageStore store, int bodyBytes) {
    this.store = store;
    this.queue = new QueueInfo(Ids.newId(), "acct", "q-" + Ids.newId().substring(0, 8), 1, 1, QueueSettings.DEFAULTS);
    this.consumer = new SubscriptionSpec(Ids.newId(), queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER, 10, 3, 0,
        30_000, null);
    // Random, as real payloads mostly are to a compressor: zeros would make the files look small.
    this.body = new byte[bodyBytes];
    new java.util.Random(7).nextBytes(body);
    await(store.commit(new StoreBatch().putQueue(queue).putSubscription(consumer)));
  }

  /** Pushes {@code count} messages (a multiple of {@link #BATCH}) and acks all but the last {@code backlog}. */
  void pushAndAck(int count, int backlog) {
    for (int pushed = 0; pushed < count; ) {
      List<Future<Void>> window = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT && pushed < count; i++, pushed += BATCH) {
        window.add(store.commit(appends()));
      }
      long ackable = nextSequence - 1 - backlog;
      while (ackedThrough + BATCH <= ackable) {
        window.add(store.commit(acks()));
      }
      await(Future.all(window));
    }
  }

  /** Finishes a purge of every message pushed so far, as the engine writes it. */
  void purge() {
    long through = nextSequence - 1;
    await(store.commit(new StoreBatch().putPurge(new PurgeRecord(queue.id(), System.currentTimeMillis(), through, true))
        .deleteMessagesThrough(queue.id(), through).deletePendingThrough(consumer.id(), through)));
  }

  void delete() {
    await(store.commit(new StoreBatch().deleteSubscription(consumer.id()).deleteQueue(queue.id())));
  }

  private StoreBatch appends() {
    StoreBatch batch = new StoreBatch();
    long now = System.currentTimeMillis();
    for (int i = 0; i < BATCH; i++, nextSequence++) {
      batch.append(new StoredMessage(Ids.newId(), queue.id(), nextSequence, null, ContentType.BYTES, body, now, now));
      batch.putPending(consumer.id(), nextSequence, 0, now);
    }
    return batch;
  }

  private StoreBatch acks() {
    StoreBatch batch = new StoreBatch();
    for (int i = 0; i < BATCH; i++) {
      long sequence = ++ackedThrough;
      batch.deleteMessage(queue.id(), sequence).deletePending(consumer.id(), sequence);
    }
    return batch.addAcknowledged(consumer.id(), BATCH);
  }

  /** Bytes of every file in the directory. */
  static long directoryBytes(Path directory) {
    return sum(directory, name -> true);
  }

  /** Bytes of the write-ahead-log files. */
  static long walBytes(Path directory) {
    return sum(directory, name -> name.endsWith(".log"));
  }

  private static long sum(Path directory, java.util.function.Predicate<String> names) {
    try (Stream<Path> files = Files.list(directory)) {
      long total = 0;
      for (Path file : files.toList()) {
        if (names.test(file.getFileName().toString())) {
          try {
            total += Files.size(file);
          } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
            // RocksDB deletes obsolete files while we count.
          }
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package io.ferry.admin.core;

import io.ferry.admin.model.QueueConsumer;
import io.ferry.admin.store.ConsumerRecords;
import io.ferry.admin.store.QueueRecords;
import io.ferry.contracts.model.QueueInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records joined with what the dialects show next to them: a queue's consumers, a consumer's queue names. */
public final class Views {

  /** A queue with its consumers. */
  public record QueueView(QueueInfo queue, List<ConsumerView> consumers) {
  }

  /** A consumer with the name of its queue and of its dead-letter queue ({@code null} when none). */
  public record ConsumerView(QueueConsumer consumer, String queueName, String deadLetterQueueName) {
  }

  private final QueueRecords queueRecords;
  private final ConsumerRecords consumerRecords;

  public Views(QueueRecords queueRecords, ConsumerRecords consumerRecords) {
    this.queueRecords = queueRecords;
    this.consumerRecords = consumerRecords;
  }

  public Future<QueueView> queue(QueueInfo queue) {
    return consumerRecords.consumers(queue.id()).compose(this::consumers).map(views -> new QueueView(queue, views));
  }

  public Future<List<QueueView>> queues(List<QueueInfo> queues) {
    return each(queues, this::queue);
  }

  public Future<ConsumerView> consumer(QueueConsumer consumer) {
    Future<QueueInfo> deadLetter = consumer.deadLetterQueueId() == null
        ? Future.succeededFuture() : queueRecords.queue(consumer.deadLetterQueueId());
    return queueRecords.queue(consumer.queueId()).compose(queue -> deadLetter.map(dlq -> new ConsumerView(consumer,
        queue == null ? null : queue.name(), dlq == null ? null : dlq.name())));
  }

  public Future<List<ConsumerView>> consumers(List<QueueConsumer> consumers) {
    return each(consumers, this::consumer);
  }

  private static <T, V> Future<List<V>> each(List<T> items, Function<T, Future<V>> view) {
    List<Future<V>> views = new ArrayList<>(items.size());
    items.forEach(item -> views.add(view.apply(item)));
    return Future.all(views).map(done -> done.<V>list());
  }
}

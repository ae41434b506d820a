package io.ferry.messaging;

import static io.ferry.messaging.TestNode.ACCOUNT_A;
import static io.ferry.messaging.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live feed on a standalone node: a batch of a queue nobody follows goes nowhere (not even onto the bus),
 * and a follower gets every batch made durable once its registration has completed.
 */
class LiveFeedTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void aQueueNobodyFollowsIsNotPublishedAndAFollowerGetsEveryBatchFromItsRegistrationOn() {
    QueueInfo queue = node.createQueue(ACCOUNT_A, QueueSettings.DEFAULTS);
    String address = Addresses.published(queue.id());
    // Every message put on the bus for the queue's live address passes here, whether anyone receives it or not.
    AtomicInteger published = new AtomicInteger();
    Handler<DeliveryContext<Object>> counting = delivery -> {
      if (delivery.message().address().equals(address)) {
        published.incrementAndGet();
      }
      delivery.next();
    };
    node.vertx.eventBus().addOutboundInterceptor(counting);
    try {
      push(queue, "nobody follows 1");
      push(queue, "nobody follows 2");

      List<PublishedBatch> first = follow(address);
      push(queue, "followed 3");
      Awaitility.await("the followed batch").atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
      assertEquals(List.of(3L), sequences(first.get(0)));
      unfollowAll();

      push(queue, "nobody follows again 4");
      List<PublishedBatch> second = follow(address);
      push(queue, "followed 5");
      Awaitility.await("the next followed batch").atMost(Duration.ofSeconds(10)).until(() -> second.size() == 1);
      assertEquals(List.of(5L), sequences(second.get(0)));
      // Batches go onto the bus in the order they were made durable, so had any unfollowed one gone out it
      // would have been counted before this.
      assertEquals(2, published.get(), "only the followed batches were published");
      assertEquals(5, node.history(queue.id()).messages().size(), "every push is durable all the same");
    } finally {
      node.vertx.eventBus().removeOutboundInterceptor(counting);
      unfollowAll();
    }
  }

  private final List<MessageConsumer<PublishedBatch>> followers = new CopyOnWriteArrayList<>();

  private List<PublishedBatch> follow(String address) {
    List<PublishedBatch> batches = new CopyOnWriteArrayList<>();
    MessageConsumer<PublishedBatch> consumer = node.vertx.eventBus().consumer(address,
        message -> batches.add(message.body()));
    await(consumer.completion());
    followers.add(consumer);
    return batches;
  }

  private void unfollowAll() {
    for (MessageConsumer<PublishedBatch> follower : followers) {
      await(follower.unregister());
    }
    followers.clear();
  }

  private static void push(QueueInfo queue, String body) {
    await(Bus.<Ack>request(node.vertx, Addresses.MESSAGING_PUBLISH, new PublishRequest(queue.id(), List.of(body))));
  }

  private static List<Long> sequences(PublishedBatch batch) {
    return batch.messages().stream().map(StoredMessage::sequence).toList();
  }
}

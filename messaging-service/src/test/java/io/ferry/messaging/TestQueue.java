package io.ferry.messaging;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh queue of {@link TestNode#ACCOUNT_A} for each test, optionally with an http_pull consumer:
 * {@code @RegisterExtension final TestQueue queue = TestQueue.withPullConsumer(node);}.
 */
final class TestQueue implements BeforeEachCallback {

  private final TestNode node;
  private final boolean pullConsumer;
  private QueueInfo info;

  private TestQueue(TestNode node, boolean pullConsumer) {
    this.node = node;
    this.pullConsumer = pullConsumer;
  }

  static TestQueue withPullConsumer(TestNode node) {
    return new TestQueue(node, true);
  }

  static TestQueue withoutConsumers(TestNode node) {
    return new TestQueue(node, false);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    info = pullConsumer ? node.createPullQueue() : node.createQueue(TestNode.ACCOUNT_A, QueueSettings.DEFAULTS);
  }

  QueueInfo info() {
    return info;
  }

  String id() {
    return info.id();
  }

  String name() {
    return info.name();
  }

  /** The queue's path under the account, as the Cloudflare routes name it (without {@code /client/v4}). */
  String path() {
    return TestNode.queuePath(TestNode.ACCOUNT_A, info.id());
  }
}

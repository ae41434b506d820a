package io.ferry.messaging.api;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.messaging.bus.ShardCalls;
import io.ferry.messaging.bus.ShardForwarder;
import io.ferry.messaging.core.Shard;
import io.ferry.messaging.core.ShardLinks;
import io.ferry.messaging.core.ShardMoved;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards over the event bus: this instance serves each shard it owns on the shard's address and reaches
 * the others' through it (docs/scale-out.md). A call for a shard that left this instance meanwhile is refused
 * with {@link ShardCall#NOT_THE_OWNER}, untouched, so that the sender tries the new owner.
 */
public final class ShardBusApi implements ShardLinks {

  private static final Logger LOG = LoggerFactory.getLogger(ShardBusApi.class);
  // The least a forwarded call may take on its owner beyond a long poll's own wait.
  static final long MIN_REPLY_MS = 1_000;

  private final Vertx vertx;
  private final ShardForwarder forwarder;
  private final long replyMs;
  private final Map<Integer, Shard> remotes = new ConcurrentHashMap<>();
  private final Map<Integer, MessageConsumer<ShardCall>> served = new ConcurrentHashMap<>();

  public ShardBusApi(Vertx vertx, long forwardWaitMs) {
    this.vertx = vertx;
    this.forwarder = new ShardForwarder(vertx, forwardWaitMs);
    // The bus gives a request sent to a member that just died no failure but its timeout: the same bound as
    // the wait for an owner keeps such a call from hanging for longer than any other unserved request.
    this.replyMs = Math.max(MIN_REPLY_MS, forwardWaitMs);
  }

  @Override
  public Shard remote(int shard) {
    return remotes.computeIfAbsent(shard, s -> new ShardCalls.Client(s, forwarder, replyMs));
  }

  @Override
  public Future<Void> serve(int shard, Shard local) {
    MessageConsumer<ShardCall> consumer = vertx.eventBus().consumer(Endpoints.messagingShard(shard).address(),
        message -> answer(local, message));
    MessageConsumer<ShardCall> previous = served.put(shard, consumer);
    if (previous != null) {
      previous.unregister();
    }
    return consumer.completion();
  }

  @Override
  public Future<Void> unserve(int shard) {
    MessageConsumer<ShardCall> consumer = served.remove(shard);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public Future<String> queueIdByName(String accountId, String queueName) {
    return Bus.request(vertx, Endpoints.QUEUE_LOOKUP, QueueLookup.byName(accountId, queueName))
        .map(QueueInfo::id)
        .recover(failure -> FerryException.from(failure).code() == ErrorCode.QUEUE_NOT_FOUND
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private static void answer(Shard local, Message<ShardCall> message) {
    Future<ShardReply> result;
    try {
      result = ShardCalls.serve(local, message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else if (done.cause() instanceof ShardMoved moved) {
        message.fail(ShardCall.NOT_THE_OWNER, moved.getMessage());
      } else {
        FerryException error = FerryException.from(done.cause());
        if (error.code() == ErrorCode.INTERNAL) {
          LOG.error("shard call {} failed", message.body().operation(), done.cause());
        }
        error.replyTo(message);
      }
    });
  }
}

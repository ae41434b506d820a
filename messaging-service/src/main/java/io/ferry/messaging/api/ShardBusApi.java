package io.ferry.messaging.api;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.Topic;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.contracts.runtime.ClusterMembers;
import io.ferry.messaging.bus.ShardCalls;
import io.ferry.messaging.bus.ShardForwarder;
import io.ferry.messaging.core.Shard;
import io.ferry.messaging.core.ShardLinks;
import io.ferry.messaging.core.ShardMoved;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards over the event bus: this instance serves each shard it owns on the shard's address and reaches
 * the others' through it (docs/scale-out.md). Its answers name the instance's own address, which serves the
 * shards it owns for the instance's whole life, so that senders send the shard's next calls straight there.
 * The clustered bus drops a call that arrives for an address no longer registered without a word, and its
 * sender only times out: so a shard handed over keeps its address registered here, every call refused with
 * {@link ShardCall#NOT_THE_OWNER} untouched (the sender tries again), until the new owner serves it.
 */
public final class ShardBusApi implements ShardLinks {

  private static final Logger LOG = LoggerFactory.getLogger(ShardBusApi.class);
  // The least a forwarded call may take on its owner beyond a long poll's own wait.
  static final long MIN_REPLY_MS = 1_000;
  // How long a shard handed over keeps its address here after its new owner said it serves: the callers that
  // sent to the shard's address meanwhile learn the new owner's own address from its first answer, so that few
  // still send to the shard's address when it goes, and none of them to this instance a few milliseconds after
  // (tens under load), when the other members learn from the cluster manager that it went. 500 ms was not
  // enough for a member that had not heard from a freshly restarted new owner yet (soak run 12: one pull sent
  // to the shard's address as it went, answered 504).
  static final long HAND_OFF_SETTLE_MS = 2_000;

  private final Vertx vertx;
  private final ShardForwarder forwarder;
  private final long replyMs;
  private final Map<Integer, Shard> remotes = new ConcurrentHashMap<>();
  private final Map<Integer, MessageConsumer<ShardCall>> served = new ConcurrentHashMap<>();
  // The shards handed over whose address is kept until their new owner serves them, each with its last call.
  private final Map<Integer, HandOff> handingOff = new ConcurrentHashMap<>();
  private final long handOffBoundMs;
  // The shards this instance answers for on its own address, from serve until unserve.
  private final Map<Integer, Shard> locals = new ConcurrentHashMap<>();
  // Under the member's id, so that every forwarder can forget this instance the moment the cluster sees it leave.
  private final String ownAddress;
  private final MessageConsumer<ShardCall> own;
  // What this instance hears of the others' moves; it stops listening before it announces that it left.
  private final List<MessageConsumer<Integer>> announcements = new CopyOnWriteArrayList<>();

  public ShardBusApi(Vertx vertx, long forwardWaitMs) {
    this.vertx = vertx;
    this.forwarder = new ShardForwarder(vertx, forwardWaitMs);
    // The bus gives a request sent to a member that just died no failure but its timeout: the same bound as
    // the wait for an owner keeps such a call from hanging for longer than any other unserved request.
    this.replyMs = Math.max(MIN_REPLY_MS, forwardWaitMs);
    // Past the forward wait the callers of a shard nobody serves are answered 503 anyway.
    this.handOffBoundMs = forwardWaitMs + HAND_OFF_SETTLE_MS;
    this.ownAddress = ShardForwarder.ownAddressPrefix(ClusterMembers.localId(vertx)) + UUID.randomUUID();
    forwarder.ownAddressIs(ownAddress);
    // A member that died held its shards' calls until each timed out (the forward wait), and the next ones until
    // they did too, before any looked for the shards' new owner; the cluster notices a dead member within moments.
    Runnable stopListening = ClusterMembers.onLeft(vertx, member -> forwarder.memberLeft(member));
    ((ContextInternal) vertx.getOrCreateContext()).addCloseHook(completion -> {
      stopListening.run();
      completion.succeed();
    });
    this.own = vertx.eventBus().consumer(ownAddress, message -> {
      Shard local = locals.get(message.body().shard());
      if (local == null) {
        message.fail(ShardCall.NOT_THE_OWNER, "shard " + message.body().shard() + " is not served here");
      } else {
        answer(local, message);
      }
    });
    announcements.add(Bus.subscribe(vertx, Endpoints.MESSAGING_SHARD_SERVED, this::servedSomewhere));
  }

  @Override
  public Shard remote(int shard) {
    return remotes.computeIfAbsent(shard, s -> new ShardCalls.Client(s, forwarder, replyMs));
  }

  @Override
  public Future<Void> serve(int shard, Shard local) {
    // Gained back before its new owner served it: the consumer below replaces the one kept, registered before
    // that one goes so that the address is never without a handler.
    HandOff handedOff = handingOff.remove(shard);
    locals.put(shard, local);
    MessageConsumer<ShardCall> consumer = vertx.eventBus().consumer(Endpoints.messagingShard(shard).address(),
        message -> answer(local, message));
    MessageConsumer<ShardCall> previous = served.put(shard, consumer);
    if (previous != null) {
      previous.unregister();
    }
    if (handedOff != null) {
      // Its consumer was replaced just above: this only ends the hand-off's wait.
      withdraw(shard, handedOff);
    }
    return Future.all(consumer.completion(), own.completion()).mapEmpty();
  }

  @Override
  public Future<Void> unserve(int shard) {
    locals.remove(shard);
    MessageConsumer<ShardCall> consumer = served.remove(shard);
    endHandOff(shard);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  // Calls on the own address are refused from now on; the shard's address answers through `local`, which
  // refuses them too once the shard left its engine, until the new owner serves or the bound passes.
  @Override
  public Future<Void> handOff(int shard) {
    locals.remove(shard);
    MessageConsumer<ShardCall> consumer = served.get(shard);
    if (consumer == null) {
      return Future.succeededFuture();
    }
    HandOff pending = handingOff.get(shard);
    if (pending != null) {
      return pending.withdrawn.future();
    }
    HandOff handOff = new HandOff(consumer, Promise.promise());
    handingOff.put(shard, handOff);
    handOff.bound = vertx.setTimer(handOffBoundMs, id -> {
      if (handingOff.remove(shard, handOff)) {
        LOG.info("shard {} was handed over {} ms ago and nobody said it serves it; its address goes", shard,
            handOffBoundMs);
        withdraw(shard, handOff);
      }
    });
    return handOff.withdrawn.future();
  }

  private void servedSomewhere(int shard) {
    HandOff handOff = handingOff.get(shard);
    if (handOff != null) {
      vertx.setTimer(HAND_OFF_SETTLE_MS, id -> {
        if (handingOff.remove(shard, handOff)) {
          withdraw(shard, handOff);
        }
      });
    }
  }

  private void endHandOff(int shard) {
    HandOff handOff = handingOff.remove(shard);
    if (handOff != null) {
      withdraw(shard, handOff);
    }
  }

  private void withdraw(int shard, HandOff handOff) {
    vertx.cancelTimer(handOff.bound);
    if (served.remove(shard, handOff.consumer)) {
      handOff.consumer.unregister().onComplete(done -> handOff.withdrawn.tryComplete());
    } else {
      handOff.withdrawn.tryComplete();
    }
  }

  /** A shard's address kept after the shard left, until {@code withdrawn}. */
  private static final class HandOff {
    final MessageConsumer<ShardCall> consumer;
    final Promise<Void> withdrawn;
    long bound = -1;

    HandOff(MessageConsumer<ShardCall> consumer, Promise<Void> withdrawn) {
      this.consumer = consumer;
      this.withdrawn = withdrawn;
    }
  }

  @Override
  public void released(int shard) {
    if (shard >= 0) {
      announce(Endpoints.MESSAGING_SHARD_RELEASED, shard);
      return;
    }
    // Its own subscription would get the announcement as it closes with the instance, and Vert.x warns of
    // each message that meets a consumer on its way out.
    List<Future<Void>> closed = announcements.stream().map(MessageConsumer::unregister).toList();
    announcements.clear();
    Future.join(closed).onComplete(done -> announce(Endpoints.MESSAGING_SHARD_RELEASED, shard));
  }

  @Override
  public void whenReleased(Runnable action) {
    announcements.add(Bus.subscribe(vertx, Endpoints.MESSAGING_SHARD_RELEASED, shard -> {
      forwarder.forget(shard);
      action.run();
    }));
  }

  @Override
  public void served(int shard) {
    announce(Endpoints.MESSAGING_SHARD_SERVED, shard);
  }

  @Override
  public void whenServed(IntConsumer action) {
    announcements.add(Bus.subscribe(vertx, Endpoints.MESSAGING_SHARD_SERVED, action::accept));
  }

  // Fire and forget: a lost announcement only delays the others until their next lease round (a release), or
  // a rebalance's next step until its bound (a shard served).
  private void announce(Topic<Integer> topic, int shard) {
    try {
      Bus.publish(vertx, topic, shard);
    } catch (IllegalStateException closing) {
      // The bus is closing with the instance.
    }
  }

  @Override
  public Future<String> queueIdByName(String accountId, String queueName) {
    return Bus.request(vertx, Endpoints.QUEUE_LOOKUP, QueueLookup.byName(accountId, queueName))
        .map(QueueInfo::id)
        .recover(failure -> FerryException.from(failure).code() == ErrorCode.QUEUE_NOT_FOUND
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private void answer(Shard local, Message<ShardCall> message) {
    Future<ShardReply> result;
    try {
      result = ShardCalls.serve(local, message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result(), new DeliveryOptions().addHeader(ShardCall.OWNER_HEADER, ownAddress));
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

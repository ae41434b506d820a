package io.ferry.messaging.core;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.api.ShardBusApi;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two messaging instances on one Vert.x (its local event bus) sharing one RocksDB store, as two processes
 * share a PostgreSQL schema: {@link #a} owns the even shards of 8 and {@link #b} the odd ones, each through a
 * {@link ControlledOwnership} the test moves shards with, and each forwards the other's shards over the bus.
 * A stand-in for admin answers queue lookups by name for the queues made through {@link #queueOn}.
 */
final class TwoInstances implements BeforeEachCallback, AfterEachCallback {

  static final String ACCOUNT = "acct-a";
  static final int SHARDS = 8;
  static final long FORWARD_WAIT_MS = 1_000;

  final ShardMap map = new ShardMap(SHARDS);
  final ControlledOwnership ownershipA = new ControlledOwnership(shards(0));
  final ControlledOwnership ownershipB = new ControlledOwnership(shards(1));
  private final Map<String, QueueInfo> queuesByName = new ConcurrentHashMap<>();
  /** The one bus both instances share. */
  Vertx vertx;
  private Path directory;
  private RocksMessageStore store;
  /** The store both instances use, which a test can make hold loads. */
  FaultyMessageStore faults;
  MessagingEngine a;
  MessagingEngine b;

  private static Set<Integer> shards(int parity) {
    return IntStream.range(0, SHARDS).filter(s -> s % 2 == parity).boxed().collect(Collectors.toSet());
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    directory = Files.createTempDirectory("ferry-two-instances-");
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
    store = RocksMessageStore.open(directory);
    faults = new FaultyMessageStore(store);
    await(Bus.serve(vertx, Endpoints.QUEUE_LOOKUP, lookup -> {
      QueueInfo queue = queuesByName.get(lookup.accountId() + "/" + lookup.queueName());
      return queue != null ? Future.succeededFuture(queue)
          : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND, "no such queue"));
    }));
    a = start(ownershipA);
    b = start(ownershipB);
  }

  private MessagingEngine start(ControlledOwnership ownership) {
    List<Context> contexts = List.of(((VertxInternal) vertx).createEventLoopContext(),
        ((VertxInternal) vertx).createEventLoopContext());
    Promise<MessagingEngine> started = Promise.promise();
    contexts.get(0).runOnContext(v -> MessagingEngine.start(vertx, faults, EngineClock.system(vertx),
        batch -> { }, event -> { }, MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES, map, contexts, ownership,
        new ShardBusApi(vertx, FORWARD_WAIT_MS)).onComplete(started));
    return await(started.future());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    await(vertx.close());
    await(store.close());
    try (var paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** A new queue of {@link #ACCOUNT} on {@code shard}, made through {@code via}, which admin knows by name. */
  QueueInfo queueOn(int shard, MessagingEngine via) {
    while (true) {
      String id = Ids.newId();
      if (map.shardOf(id) == shard) {
        QueueInfo queue = new QueueInfo(id, ACCOUNT, "q-" + id.substring(0, 8), 1, 1, QueueSettings.DEFAULTS);
        await(via.upsertQueue(queue));
        queuesByName.put(ACCOUNT + "/" + queue.name(), queue);
        return queue;
      }
    }
  }

  static <T> T await(Future<T> future) {
    return Futures.await(future, Duration.ofSeconds(10));
  }

  static FerryException failure(Future<?> future) {
    return Futures.failure(future, Duration.ofSeconds(10));
  }
}

package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Right after Ferry starts: a mixed load on one scratch queue (batch push, single push, pull + ack) so the
 * JIT has compiled Ferry's hot paths before the first scenario; a cold JVM on 2 cores needs far longer
 * than one scenario's warm-up. Each scenario still warms up on its own afterwards.
 */
final class FerryWarmUp implements Workload {

  private static final int CLIENTS = 32;
  private static final Buffer BATCH = Payloads.batch(10);
  private static final Buffer SINGLE = Payloads.single();
  private static final Buffer PULL = Buffer.buffer("{\"batch_size\":10}");

  private final FerryUnderTest ferry;
  private final String queue;
  private final Map<ClientConnection, Integer> roles = new IdentityHashMap<>();

  private FerryWarmUp(FerryUnderTest ferry, String queue, List<ClientConnection> clients) {
    this.ferry = ferry;
    this.queue = queue;
    for (int i = 0; i < clients.size(); i++) {
      roles.put(clients.get(i), i % 4);
    }
  }

  /** Runs the mixed load for {@code duration}; answers what it did, for the log, and any errors. */
  static PhaseResult run(FerryUnderTest ferry, BenchContext context, Duration duration) throws Exception {
    String queue = ferry.createQueue("bench-warm-up-" + System.nanoTime());
    ferry.addPullConsumer(queue, 10);
    List<ClientConnection> clients = new ArrayList<>();
    try {
      List<Future<ClientConnection>> opening = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        opening.add(ClientConnection.open(context.agent(), ferry.endpoint()));
      }
      Await.result(Future.all(opening), Duration.ofSeconds(30));
      opening.forEach(f -> clients.add(f.result()));
      return LoadRunner.run(clients, new FerryWarmUp(ferry, queue, clients), duration);
    } finally {
      clients.forEach(ClientConnection::close);
      ferry.deleteQueue(queue);
    }
  }

  @Override
  public Endpoint endpoint() {
    return ferry.endpoint();
  }

  @Override
  public Future<Integer> round(ClientConnection client) {
    return switch (roles.get(client)) {
      case 0, 1 -> client.post(queue + "/messages/batch", BATCH).map(answer -> 1);
      case 2 -> client.post(queue + "/messages", SINGLE).map(answer -> 1);
      default -> client.post(queue + "/messages/pull", PULL).compose(answer -> {
        JsonArray messages = new JsonObject(answer).getJsonObject("result").getJsonArray("messages");
        return client.post(queue + "/messages/ack", Payloads.acks(messages)).map(reply -> 1);
      });
    };
  }
}

package io.ferry.dispatcher.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.net.AddressPolicy;
import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.DeliveryOutcome;
import io.ferry.dispatcher.core.HostResolver;
import io.ferry.dispatcher.core.TargetVetting;
import io.ferry.dispatcher.core.WebhookRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook requests go out over several lanes, each with its own connections, and their outcomes come back on
 * the context that asked, so a listener's worker keeps its state on one event loop; deliveries one at a time
 * keep to one connection.
 */
class DeliveryLanesTest {

  private static final int LANES = 3;
  private static final DispatcherConfig CONFIG = DispatcherConfigs.of(new JsonObject()
      .put("dispatcher.request-timeout-ms", 5_000)
      .put("dispatcher.max-in-flight-per-listener", 4)
      .put("dispatcher.delivery-lanes", LANES)
      .put("webhooks.allow-list", new JsonArray().add("127.0.0.0/8")));

  private final Vertx vertx = Vertx.vertx();
  private final Set<String> connections = ConcurrentHashMap.newKeySet();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private DeliveryLanes lanes;

  @BeforeEach
  void start() throws Exception {
    receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      connections.add(request.remoteAddress().toString());
      bodies.add(body.toString());
      if (request.path().equals("/hold")) {
        held.add(request);
        if (held.size() == 2 * LANES + 1) {
          held.forEach(waiting -> waiting.response().setStatusCode(204).end());
        }
        return;
      }
      request.response().setStatusCode(request.path().equals("/busy") ? 503 : 204).end();
    }));
    await(receiver.listen(0, "127.0.0.1"));
    TargetVetting vetting = new TargetVetting(AddressPolicy.create(CONFIG.webhooks().allowList()),
        HostResolver.system(vertx));
    lanes = await(DeliveryLanes.create(vertx, CONFIG, vetting, null));
  }

  @AfterEach
  void stop() throws Exception {
    await(lanes.close());
    await(vertx.close());
  }

  @Test
  void requestsOneAfterAnotherReuseOneConnectionAndAnswerOnTheAskingContext() throws Exception {
    Context worker = vertx.getOrCreateContext();
    List<DeliveryOutcome> outcomes = new ArrayList<>();
    List<Boolean> onWorker = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    worker.runOnContext(v -> sendInTurn(worker, 2 * LANES, outcomes, onWorker, done));
    await(done.future());

    assertEquals(2 * LANES, outcomes.size());
    assertTrue(outcomes.stream().allMatch(DeliveryOutcome::delivered), outcomes::toString);
    assertTrue(onWorker.stream().allMatch(b -> b), "every outcome on the worker's context: " + onWorker);
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), bodies);
    assertEquals(1, connections.size(), connections::toString);
  }

  @Test
  void requestsUnderWayTogetherAllGetTheirAnswersOnTheAskingContext() throws Exception {
    int together = 2 * LANES + 1;
    Context worker = vertx.getOrCreateContext();
    List<Future<Boolean>> answered = new CopyOnWriteArrayList<>();
    Promise<Void> sent = Promise.promise();
    worker.runOnContext(v -> {
      for (int i = 0; i < together; i++) {
        answered.add(lanes.send(request("/hold", "h" + i))
            .map(outcome -> outcome.delivered() && Vertx.currentContext() == worker));
      }
      sent.complete();
    });
    await(sent.future());
    // The receiver answers none until all of them are there, so they were all under way at once.
    assertEquals(Collections.nCopies(together, true),
        await(Future.all(answered).map(all -> all.<Boolean>list())));
    assertEquals(together, connections.size(), connections::toString);
  }

  @Test
  void aRefusingReceiverAndALivenessProbeAreOutcomesToo() throws Exception {
    Context worker = vertx.getOrCreateContext();
    Promise<DeliveryOutcome> busy = Promise.promise();
    Promise<DeliveryOutcome> probed = Promise.promise();
    worker.runOnContext(v -> {
      lanes.send(request("/busy", "m")).onComplete(busy);
      lanes.probe("http://127.0.0.1:" + receiver.actualPort() + "/live", 2_000).onComplete(probed);
    });
    assertEquals(503, await(busy.future()).statusCode());
    assertTrue(await(probed.future()).delivered());
  }

  private void sendInTurn(Context worker, int left, List<DeliveryOutcome> outcomes, List<Boolean> onWorker,
      Promise<Void> done) {
    if (left == 0) {
      done.complete();
      return;
    }
    lanes.send(request("/hook", "m" + outcomes.size())).onComplete(ar -> {
      onWorker.add(Vertx.currentContext() == worker);
      outcomes.add(ar.result());
      sendInTurn(worker, left - 1, outcomes, onWorker, done);
    });
  }

  private WebhookRequest request(String path, String body) {
    return new WebhookRequest("http://127.0.0.1:" + receiver.actualPort() + path, "msg_1", 1_700_000_000L,
        Buffer.buffer(body), "v1,unused");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node stops its modules in reverse start order, each with every module it started after still running: a
 * module draining on stop (the dispatcher acking its last deliveries) can still reach the ones it depends on.
 */
class StopOrderTest {

  private static final int MODULES = 6;

  @Test
  void everyModuleStillReachesTheModulesStartedBeforeItWhileItStops() throws Exception {
    List<String> outcomes = new CopyOnWriteArrayList<>();
    List<ServiceModule> modules = new ArrayList<>();
    for (int i = 0; i < MODULES; i++) {
      modules.add(new ChainModule(i, outcomes));
    }
    Map<String, String> env = Map.of(ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0");
    FerryNode node = FerryNode.startLocal("stop-order", NodeConfig.from(ConfigReader.of(env), 0), modules)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<String> expected = new ArrayList<>();
    for (int i = MODULES - 1; i > 0; i--) {
      expected.add("module-" + i + " reached module-" + (i - 1));
    }
    assertEquals(expected, outcomes);
  }

  /** Serves its own address from a verticle; while that verticle stops, it asks the module started before it. */
  private static final class ChainModule extends BareModule {

    private final int index;
    private final List<String> outcomes;
    private Vertx vertx;
    private String deployment;

    ChainModule(int index, List<String> outcomes) {
      this.index = index;
      this.outcomes = outcomes;
    }

    @Override
    public String name() {
      return "module-" + index;
    }

    @Override
    public Future<Void> start(Vertx vertx) {
      this.vertx = vertx;
      return vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return vertx.eventBus().consumer(address(index), message -> message.reply("ok")).completion();
        }

        @Override
        public Future<?> stop() {
          if (index == 0) {
            return Future.succeededFuture();
          }
          return vertx.eventBus().request(address(index - 1), "draining")
              .map(reply -> outcomes.add(name() + " reached module-" + (index - 1)))
              .recover(failure -> Future.succeededFuture(outcomes.add(name() + " failed: " + failure.getMessage())));
        }
      }).onSuccess(id -> deployment = id).mapEmpty();
    }

    @Override
    public Future<Void> stop() {
      return vertx.undeploy(deployment);
    }

    private static String address(int index) {
      return "test.stop-order." + index;
    }
  }
}

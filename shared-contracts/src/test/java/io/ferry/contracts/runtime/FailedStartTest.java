package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.config.NodeConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A module whose start fails ends the node's start with that failure, also when the failure is an
 * {@link Error} handed back from a thread of the module's own (as a store that cannot load its native library
 * does), so that the process can report it and exit instead of waiting forever without a word.
 */
class FailedStartTest {

  @Test
  void aModuleFailingFromItsOwnThreadFailsTheStart() {
    NodeConfig node = NodeConfig.from(ConfigReader.of(Map.of(ConfigReader.envName("http.host"), "127.0.0.1",
        ConfigReader.envName("http.port"), "0")), 0);
    ExecutionException failed = assertThrows(ExecutionException.class, () -> FerryNode.startLocal("failing", node,
        List.of(new FailingModule())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    assertInstanceOf(UnsatisfiedLinkError.class, failed.getCause());
    assertEquals("no native library here", failed.getCause().getMessage());
  }

  private static final class FailingModule extends BareModule {

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public Future<Void> start(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      Promise<Void> opened = Promise.promise();
      Thread store = new Thread(() -> {
        Error failure = new UnsatisfiedLinkError("no native library here");
        context.runOnContext(v -> opened.fail(failure));
      }, "failing-store");
      store.start();
      return opened.future();
    }
  }
}

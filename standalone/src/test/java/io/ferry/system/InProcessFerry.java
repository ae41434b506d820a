package io.ferry.system;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.ConfigReader;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.testkit.Futures;
import io.ferry.dispatcher.DispatcherModule;
import io.ferry.messaging.MessagingModule;
import io.ferry.standalone.StandaloneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin, messaging and the dispatcher in this JVM on a local bus, as the standalone process hosts them: on
 * loopback, with a bootstrap key, delivering webhooks to loopback receivers, its data in {@code dataDir} (removed
 * on close with the node's stop).
 */
final class InProcessFerry implements AutoCloseable {

  private final FerryNode node;
  private final Path dataDir;

  private InProcessFerry(FerryNode node, Path dataDir) {
    this.node = node;
    this.dataDir = dataDir;
  }

  /** Starts it with {@code environment} ({@code FERRY_*} variables: a storage kind, dispatcher timings) on top. */
  static InProcessFerry start(String title, String bootstrapKey, Path dataDir, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>();
    env.put(ConfigReader.envName("storage.data-dir"), dataDir.toString());
    env.put(ConfigReader.envName("http.host"), "127.0.0.1");
    env.put(ConfigReader.envName("http.port"), "0");
    env.put(ConfigReader.envName("auth.bootstrap-key"), bootstrapKey);
    env.put(ConfigReader.envName("webhooks.allow-list"), "127.0.0.0/8");
    env.putAll(environment);
    StandaloneConfig config = StandaloneConfig.from(ConfigReader.of(env));
    FerryNode node = Futures.await(FerryNode.startLocal(title, config.node(), List.of(
        AdminModule.create(config.admin()), MessagingModule.create(config.messaging()),
        DispatcherModule.create(config.dispatcher()))), Duration.ofSeconds(60));
    return new InProcessFerry(node, dataDir);
  }

  String base() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  /** Stops the node only: its data stays for a restart. */
  void stop() {
    Futures.await(node.stop(), Duration.ofSeconds(30));
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}

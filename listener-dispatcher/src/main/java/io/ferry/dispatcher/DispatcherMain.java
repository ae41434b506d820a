package io.ferry.dispatcher;

import io.ferry.contracts.runtime.FerryLauncher;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.dispatcher.config.DispatcherConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs listener-dispatcher as its own process, joined to the cluster. */
public final class DispatcherMain {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherMain.class);

  private DispatcherMain() {
  }

  public static void main(String[] args) {
    FerryLauncher.launch(args, DispatcherConfig::from, config -> {
      DispatcherModule module = DispatcherModule.create(config);
      return FerryNode.startClustered("Ferry listener-dispatcher", config.node(), List.of(module))
          .onSuccess(node -> {
            LOG.info("listener-dispatcher listening on port {} (health, metrics)", node.httpPort());
          });
    });
  }
}

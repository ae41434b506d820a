package io.ferry.gateway;

import io.ferry.contracts.runtime.FerryLauncher;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.gateway.config.GatewayConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs ws-gateway as its own process, joined to the cluster. */
public final class GatewayMain {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {
  }

  public static void main(String[] args) {
    FerryLauncher.launch(args, GatewayConfig::from, config -> {
      GatewayModule module = GatewayModule.create(config);
      return FerryNode.startClustered("Ferry ws-gateway", config.node(), List.of(module))
          .onSuccess(node -> {
            LOG.info("ws-gateway listening on port {}", node.httpPort());
          });
    });
  }
}

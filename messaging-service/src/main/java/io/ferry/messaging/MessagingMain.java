package io.ferry.messaging;

import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.runtime.FerryLauncher;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.messaging.config.MessagingConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs messaging-service as its own process, joined to the cluster. */
public final class MessagingMain {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingMain.class);

  private MessagingMain() {
  }

  public static void main(String[] args) {
    FerryLauncher.launch(args, MessagingConfig::from, config -> {
      MessagingModule module = MessagingModule.create(config);
      return FerryNode.startClustered("Ferry messaging-service", config.node(), List.of(module))
          .onSuccess(node -> {
            // On PostgreSQL there is no data directory; the store said where it opened.
            if (config.storage().kind() == StorageConfig.Kind.POSTGRES) {
              LOG.info("messaging-service listening on port {}", node.httpPort());
            } else {
              LOG.info("messaging-service listening on port {}, data in {}", node.httpPort(),
                  config.storage().serviceDir("messaging"));
            }
          });
    });
  }
}

package io.ferry.admin;

import io.ferry.admin.config.AdminConfig;
import io.ferry.contracts.runtime.FerryLauncher;
import io.ferry.contracts.runtime.FerryNode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs admin-service as its own process, joined to the cluster. */
public final class AdminMain {

  private static final Logger LOG = LoggerFactory.getLogger(AdminMain.class);

  private AdminMain() {
  }

  public static void main(String[] args) {
    FerryLauncher.launch(args, AdminConfig::from, config -> {
      AdminModule module = AdminModule.create(config);
      return FerryNode.startClustered("Ferry admin-service", config.node(), List.of(module))
          .onSuccess(node -> {
            // Printed rather than logged: a generated key must not end up in log aggregation.
            module.startupBanner().forEach(System.out::println);
            LOG.info("admin-service listening on port {}", node.httpPort());
          });
    });
  }
}

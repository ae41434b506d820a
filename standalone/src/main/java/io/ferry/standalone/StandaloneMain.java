package io.ferry.standalone;

import io.ferry.admin.AdminModule;
import io.ferry.contracts.config.LogConfig;
import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.runtime.FerryLauncher;
import io.ferry.contracts.runtime.FerryNode;
import io.ferry.contracts.runtime.StartupChecks;
import io.ferry.dispatcher.DispatcherModule;
import io.ferry.gateway.GatewayModule;
import io.ferry.messaging.MessagingModule;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry in one JVM: every service on a local event bus, one HTTP port, embedded storage (or PostgreSQL). The default way
 * to run Ferry. Admin starts first because the others reconcile their state from it.
 */
public final class StandaloneMain {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMain.class);

  private StandaloneMain() {
  }

  public static void main(String[] args) {
    long startedAt = System.nanoTime();
    FerryLauncher.launch(args, StandaloneConfig::from, config -> {
      // Before any module starts: a port or data directory this process cannot use ends start-up here.
      StartupChecks.portFree("HTTP", config.node().http().host(), config.node().http().port(), "http.port");
      if (config.admin().storage().kind() == StorageConfig.Kind.ROCKSDB) {
        StartupChecks.dataDirectory(config.admin().storage().dataDir());
      }
      AdminModule admin = AdminModule.create(config.admin());
      return FerryNode.startLocal("Ferry", config.node(), List.of(admin,
              MessagingModule.create(config.messaging()),
              DispatcherModule.create(config.dispatcher()),
              GatewayModule.create(config.gateway())))
          .onSuccess(node -> printBanner(config, node.httpPort(), admin.startupBanner(),
              (System.nanoTime() - startedAt) / 1_000_000));
    });
  }

  private static String storageLine(StorageConfig storage) {
    if (storage.kind() == StorageConfig.Kind.POSTGRES) {
      PostgresConfig pg = storage.postgres();
      return "  Storage        PostgreSQL " + pg.user() + "@" + pg.host() + ":" + pg.port() + "/" + pg.database()
          + ", schema " + pg.schema();
    }
    return "  Data directory " + storage.dataDir().toAbsolutePath().normalize();
  }

  private static void printBanner(StandaloneConfig config, int port, List<String> authLines, long tookMs) {
    String host = config.node().http().host();
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    String base = "http://" + shown + ":" + port;
    StringBuilder banner = new StringBuilder()
        .append("\n  Ferry is ready (").append(tookMs).append(" ms)\n")
        .append("  Listening on   ").append(base).append("  (bound to ").append(host).append(")\n")
        .append(storageLine(config.admin().storage())).append('\n')
        .append("  Console        ").append(base).append("/console/\n")
        .append("  API reference  ").append(base).append("/docs\n")
        .append("  Cloudflare     ").append(base).append("/client/v4/accounts\n")
        .append("  discue         ").append(base).append("/v1\n")
        .append("  Sonya          ").append(base).append("/queue\n\n");
    for (String line : authLines) {
      banner.append("  ").append(line).append('\n');
    }
    if (config.node().log().format() == LogConfig.Format.JSON) {
      LOG.info("{}", banner);
    } else {
      System.out.println(banner);
      System.out.flush();
    }
  }
}

package io.ferry.system;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.BusPayload;
import io.ferry.contracts.bus.Codecs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.List;

/**
 * A hostile process, run as its own JVM: it knows the cluster's name and members and has Ferry's classes, but
 * not the cluster's certificate (none, or a self-signed one). It joins, registers a consumer on the
 * authentication address that prints whatever reaches it and answers with a root-like principal of the
 * victim account, and asks admin for the topology. Everything it learns is printed, one line each:
 * {@code READY}, {@code RECEIVED <payload>}, {@code TOPOLOGY <snapshot>} or {@code TOPOLOGY-REFUSED <why>}.
 *
 * <p>Arguments: cluster name, members (comma-separated), victim account id, and optionally the certificate
 * and key PEM files of its own bus (then it serves TLS and presents that certificate as a client).
 */
public final class RogueMember {

  private RogueMember() {
  }

  public static void main(String[] args) throws Exception {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(args[0]);
    hz.setProperty("hazelcast.logging.type", "none");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(1000);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(Arrays.asList(args[1].split(",")));
    String victim = args[2];

    VertxOptions options = new VertxOptions();
    EventBusOptions bus = options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    if (args.length > 3) {
      // As permissive as can be: it serves TLS with its own certificate and accepts any client, so that a
      // sender that does not check the server's certificate would hand it the message.
      bus.setSsl(true).setClientAuth(ClientAuth.NONE).setTrustAll(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(args[3]).setKeyPath(args[4]));
    }
    Vertx vertx = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered().await();
    Codecs.registerAll(vertx.eventBus());
    vertx.eventBus().<Object>consumer(Addresses.AUTH_AUTHENTICATE, message -> {
      Object body = message.body();
      say("RECEIVED " + (body instanceof BusPayload payload ? payload.toJson().encode() : String.valueOf(body)));
      message.reply(new Principal(victim, "rogue", List.of(Principal.ALL), false));
    }).completion().await();
    say("READY");
    while (true) {
      try {
        Object snapshot = Bus.request(vertx, Addresses.TOPOLOGY_SNAPSHOT, null, 3_000).await();
        say("TOPOLOGY " + (snapshot instanceof BusPayload payload ? payload.toJson().encode() : snapshot));
      } catch (RuntimeException refused) {
        say("TOPOLOGY-REFUSED " + refused);
      }
      Thread.sleep(1_000);
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}

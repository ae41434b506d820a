package io.ferry.messaging;

import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.contracts.runtime.StoreReadiness;
import io.ferry.messaging.api.cloudflare.BrowseRoutes;
import io.ferry.messaging.api.cloudflare.MessageRoutes;
import io.ferry.messaging.api.cloudflare.MetricsRoutes;
import io.ferry.messaging.api.sonya.SendRoutes;
import io.ferry.messaging.config.MessagingConfig;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.core.ShardMap;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.PgMessageStore;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * messaging-service as a hostable module: owns messages, sequences and delivery state; serves push / pull /
 * ack / peek / metrics (Cloudflare), discue messages and Sonya send over HTTP, and leases, acks, history,
 * purges, deletes, publishing, subscription stats and redelivery of missed messages over the bus.
 */
public final class MessagingModule implements ServiceModule {

  private static final String NAME = "messaging";

  /** Opens the module's embedded store in its data directory (blocking; called off the event loop). */
  interface StoreOpener {
    MessageStore open(Path directory);
  }

  private final MessagingConfig config;
  private final StoreOpener opener;
  private final long maxQueuedAppendBytes;
  private Vertx vertx;
  private MessageStore store;
  private MessagingVerticle verticle;
  private String deploymentId;

  MessagingModule(MessagingConfig config, StoreOpener opener, long maxQueuedAppendBytes) {
    this.config = config;
    this.opener = opener;
    this.maxQueuedAppendBytes = maxQueuedAppendBytes;
  }

  public static MessagingModule create(MessagingConfig config) {
    return new MessagingModule(config, directory -> RocksMessageStore.open(directory, config.bodyCacheBytes()),
        MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    return openStore(vertx)
        .compose(opened -> {
          store = opened;
          verticle = new MessagingVerticle(opened, config.leaseSweepMs(), maxQueuedAppendBytes,
              new ShardMap(config.shards()), config.forwardWaitMs());
          return vertx.deployVerticle(verticle);
        })
        .onSuccess(id -> deploymentId = id)
        .mapEmpty();
  }

  private Future<MessageStore> openStore(Vertx vertx) {
    StorageConfig storage = config.storage();
    if (storage.kind() == StorageConfig.Kind.POSTGRES) {
      return PgMessageStore.open(vertx, storage.postgres(), config.bodyCacheBytes(),
          config.postgresWriters(), config.postgresPushTransactions(), config.shardLeaseMs(), instanceName(storage))
          .map(opened -> opened);
    }
    return vertx.executeBlocking(() -> opener.open(PrivateFiles.serviceDir(storage, NAME)));
  }

  // Stable across restarts of the same process (same host, same data directory), so that a restarted instance
  // takes its own shards back at once; distinct for instances on one host with their own data directories.
  private static String instanceName(StorageConfig storage) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException unknown) {
      host = "localhost";
    }
    return host + ":" + storage.dataDir().toAbsolutePath().normalize();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    MessagingEngine engine = engine();
    Handler<RoutingContext> authentication = Authentication.of(vertx);
    new MessageRoutes(engine).mount(router, authentication);
    new BrowseRoutes(engine).mount(router, authentication);
    new MetricsRoutes(engine).mount(router, authentication);
    new SendRoutes(engine).mount(router, authentication);
    new io.ferry.messaging.api.discue.MessageRoutes(engine).mount(router, authentication);
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    StoreReadiness.register(checks, "message-store", () -> store == null ? null : store.probe());
    // The store may answer again while the engine still reloads its state from it, refusing every request.
    checks.register("messaging-engine", promise -> promise.complete(
        verticle != null && verticle.servingState().serving() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "messaging is loading its state from the store"))));
    checks.register("topology", promise -> promise.complete(
        verticle != null && verticle.topologyReconciled() ? Status.OK() : Status.KO()));
  }

  @Override
  public String openApiResource() {
    return "openapi/messaging.json";
  }

  @Override
  public Future<Void> stop() {
    if (store == null) {
      return Future.succeededFuture();
    }
    Future<Void> undeployed = Future.succeededFuture();
    // The host stops modules in reverse start order, each undeploying its own; a test may have undeployed it.
    if (deploymentId != null && vertx.deploymentIDs().contains(deploymentId)) {
      undeployed = vertx.undeploy(deploymentId).otherwiseEmpty();
    }
    return undeployed.compose(v -> store.close());
  }

  /** The engine, once started: for hosts and tests that talk to messaging in-process. */
  public MessagingEngine engine() {
    if (verticle == null || verticle.engine() == null) {
      throw new IllegalStateException("messaging module is not started");
    }
    return verticle.engine();
  }
}

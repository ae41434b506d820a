package io.ferry.messaging;

import io.ferry.contracts.config.MessagingConfig;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.runtime.BusAuthHandler;
import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.messaging.api.CloudflareMessagesApi;
import io.ferry.messaging.api.DiscueMessagesApi;
import io.ferry.messaging.api.SonyaSendApi;
import io.ferry.messaging.core.MessagingEngine;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.RocksMessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;

/**
 * messaging-service as a hostable module: owns messages, sequences and delivery state; serves push / pull /
 * ack (Cloudflare), discue messages and Sonya send over HTTP, and leases, acks and history over the bus.
 */
public final class MessagingModule implements ServiceModule {

  private static final String NAME = "messaging";

  private final MessagingConfig config;
  private Vertx vertx;
  private MessageStore store;
  private MessagingVerticle verticle;
  private String deploymentId;

  private MessagingModule(MessagingConfig config) {
    this.config = config;
  }

  public static MessagingModule create(MessagingConfig config) {
    return new MessagingModule(config);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    return vertx.executeBlocking(() -> RocksMessageStore.open(config.storage().serviceDir(NAME)))
        .compose(opened -> {
          store = opened;
          verticle = new MessagingVerticle(opened, config.leaseSweepMs());
          return vertx.deployVerticle(verticle);
        })
        .onSuccess(id -> deploymentId = id)
        .mapEmpty();
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    BusAuthHandler auth = BusAuthHandler.create(vertx);
    MessagingEngine engine = engine();
    new CloudflareMessagesApi(engine).mount(router, auth);
    new SonyaSendApi(engine).mount(router, BusAuthHandler.create(vertx, Principal.SONYA));
    new DiscueMessagesApi(engine).mount(router, auth);
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    checks.register("message-store", promise -> promise.complete(
        store != null && store.isOpen() ? Status.OK() : Status.KO()));
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
    // A host's stop undeploys every deployment first; undeploy only if that has not happened.
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

package io.ferry.admin;

import io.ferry.admin.api.CloudflareEditRoutes;
import io.ferry.admin.api.CloudflareEventRoutes;
import io.ferry.admin.api.CloudflareRoutes;
import io.ferry.admin.api.DiscueEventRoutes;
import io.ferry.admin.api.DiscueListenerRoutes;
import io.ferry.admin.api.DiscueKeyRoutes;
import io.ferry.admin.api.DiscueRoutes;
import io.ferry.admin.api.SonyaRoutes;
import io.ferry.admin.bus.AdminBusApi;
import io.ferry.admin.bus.AdminEvents;
import io.ferry.admin.bus.DeliveryQueries;
import io.ferry.admin.bus.EventSubscriptionDelivery;
import io.ferry.admin.bus.MessagingCommands;
import io.ferry.admin.config.AdminConfig;
import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.ApiKeyService;
import io.ferry.admin.core.AuditTrail;
import io.ferry.admin.core.AuthBootstrap;
import io.ferry.admin.core.Authenticator;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.EventRecipients;
import io.ferry.admin.core.EventSubscriptionService;
import io.ferry.admin.core.FailureThrottle;
import io.ferry.admin.core.ListenerDirectory;
import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.LivenessReports;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import io.ferry.admin.core.SonyaTokens;
import io.ferry.admin.core.Topology;
import io.ferry.admin.core.Views;
import io.ferry.admin.core.WebhookTargets;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.RocksAdminStore;
import io.ferry.contracts.auth.JwtVerifier;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.ServiceModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * admin-service as a {@link ServiceModule}: the source of truth for accounts, keys, queues, consumers and
 * listeners. Start opens the store, makes sure the default account and its root key exist, and starts
 * answering the other services; its routes serve the admin parts of all three dialects.
 */
public final class AdminModule implements ServiceModule {

  private static final Logger LOG = LoggerFactory.getLogger(AdminModule.class);

  private final AdminConfig config;
  private AdminStore store;
  private AdminBusApi busApi;
  private CloudflareRoutes cloudflare;
  private DiscueRoutes discue;
  private DiscueListenerRoutes discueListeners;
  private SonyaRoutes sonya;
  private DiscueKeyRoutes discueKeys;
  private volatile List<String> banner = List.of();
  // --- queue edits, event subscriptions, audit trail ---
  private CloudflareEditRoutes cloudflareEdits;
  private CloudflareEventRoutes cloudflareEvents;
  private DiscueEventRoutes discueEvents;
  private AuditTrail audit;
  private EventSubscriptionDelivery eventDelivery;
  // --- end queue edits, event subscriptions, audit trail ---

  private AdminModule(AdminConfig config) {
    this.config = config;
  }

  public static AdminModule create(AdminConfig config) {
    return new AdminModule(config);
  }

  @Override
  public String name() {
    return "admin";
  }

  @Override
  public Future<Void> start(Vertx vertx) {
    return vertx.executeBlocking(() -> PrivateFiles.serviceDir(config.storage(), "admin"))
        .compose(dir -> RocksAdminStore.open(vertx, dir, config.storage().secretsKey()))
        .compose(opened -> {
          store = opened;
          return new AuthBootstrap(store, config.auth()).run();
        })
        .compose(bootstrap -> {
          banner = bootstrap.banner();
          if (config.auth().mode() == AuthConfig.Mode.OPEN) {
            LOG.warn("!!! auth.mode is OPEN: NO CREDENTIALS ARE CHECKED. Every request acts as the root of the "
                + "default account. Use this only for local experiments, never on a network. !!!");
          }
          return SonyaTokens.open(vertx, store, config.auth(), bootstrap.defaultAccountId())
              .compose(tokens -> wire(vertx, bootstrap.defaultAccountId(), tokens).register())
              .compose(v -> eventDelivery.register());
        });
  }

  private AdminBusApi wire(Vertx vertx, String defaultAccountId, SonyaTokens tokens) {
    MessagingCommands messaging = new MessagingCommands(vertx);
    AdminEvents events = new AdminEvents(vertx);
    QueueService queues = new QueueService(store, messaging, events);
    ConsumerService consumers = new ConsumerService(store, queues, messaging, events);
    LivenessReports liveness = new LivenessReports();
    ListenerService listeners = new ListenerService(store, queues, messaging, new DeliveryQueries(vertx), events,
        new WebhookTargets(config.webhooks()), liveness);
    Views views = new Views(store);
    Authenticator authenticator = new Authenticator(store, config.auth(), defaultAccountId, tokens,
        JwtVerifier.create(vertx, config.auth().jwt()),
        new FailureThrottle(Authenticator.MAX_FAILURES, Authenticator.FAILURE_WINDOW_MS, System::currentTimeMillis));
    cloudflare = new CloudflareRoutes(new AccountService(store), queues, consumers, views);
    discue = new DiscueRoutes(queues);
    discueListeners = new DiscueListenerRoutes(listeners);
    discueKeys = new DiscueKeyRoutes(new ApiKeyService(store), new AccountService(store));
    sonya = new SonyaRoutes(queues, new SonyaService(queues, tokens, new MessagingCommands(vertx), events));
    // --- queue edits, event subscriptions, audit trail ---
    cloudflareEdits = new CloudflareEditRoutes(queues, consumers, views);
    cloudflareEvents = new CloudflareEventRoutes(new EventSubscriptionService(store, queues));
    audit = new AuditTrail(store);
    discueEvents = new DiscueEventRoutes(audit);
    eventDelivery = new EventSubscriptionDelivery(vertx, new EventRecipients(store), audit);
    // --- end queue edits, event subscriptions, audit trail ---
    busApi = new AdminBusApi(vertx, authenticator, queues, new Topology(store),
        new ListenerDirectory(store, events, liveness), tokens.secret());
    return busApi;
  }

  /**
   * The lines the process prints once started: the default account id and how its root key was provided
   * (a newly generated key appears here exactly once, on the start that created it).
   */
  public List<String> startupBanner() {
    return banner;
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    cloudflare.mount(vertx, router);
    cloudflareEdits.mount(vertx, router);
    cloudflareEvents.mount(vertx, router);
    discueEvents.mount(vertx, router);
    discue.mount(vertx, router);
    discueKeys.mount(vertx, router);
    discueListeners.mount(vertx, router);
    sonya.mount(vertx, router);
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    checks.register("admin-store", promise -> promise.complete(
        store != null && store.isOpen() ? Status.OK() : Status.KO()));
  }

  @Override
  public String openApiResource() {
    return "openapi/admin.json";
  }

  @Override
  public Future<Void> stop() {
    // Events stop first, and those already received reach the audit trail before the store closes.
    Future<Void> eventsStopped = eventDelivery == null ? Future.succeededFuture()
        : eventDelivery.unregister().eventually(audit::flush);
    Future<Void> unregistered = eventsStopped.eventually(() -> busApi == null ? Future.succeededFuture()
        : busApi.unregister());
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}

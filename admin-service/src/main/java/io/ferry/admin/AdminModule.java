package io.ferry.admin;

import io.ferry.admin.api.Routes;
import io.ferry.admin.api.bus.AdminBusApi;
import io.ferry.admin.api.bus.AttemptsConsumer;
import io.ferry.admin.api.bus.EventsConsumer;
import io.ferry.admin.api.cloudflare.CloudflareApi;
import io.ferry.admin.api.console.ConsoleRoutes;
import io.ferry.admin.api.discue.DiscueApi;
import io.ferry.admin.api.sonya.SonyaApi;
import io.ferry.admin.bus.BusAdminEvents;
import io.ferry.admin.bus.BusCredentialRevocations;
import io.ferry.admin.bus.BusDeliveryQueries;
import io.ferry.admin.bus.BusMessagingCheckpoints;
import io.ferry.admin.bus.BusMessagingCommands;
import io.ferry.admin.config.AdminConfig;
import io.ferry.admin.core.AccountService;
import io.ferry.admin.core.AdminEvents;
import io.ferry.admin.core.ApiKeyService;
import io.ferry.admin.core.AttemptHistory;
import io.ferry.admin.core.AuditTrail;
import io.ferry.admin.core.AuthBootstrap;
import io.ferry.admin.core.Authenticator;
import io.ferry.admin.core.BackupService;
import io.ferry.admin.core.ConsumerService;
import io.ferry.admin.core.EventRecipients;
import io.ferry.admin.core.EventSubscriptionDelivery;
import io.ferry.admin.core.EventSubscriptionService;
import io.ferry.admin.core.FailureThrottle;
import io.ferry.admin.core.ListenerDirectory;
import io.ferry.admin.core.ListenerService;
import io.ferry.admin.core.LivenessReports;
import io.ferry.admin.core.MessagingCommands;
import io.ferry.admin.core.QueueService;
import io.ferry.admin.core.SonyaService;
import io.ferry.admin.core.SonyaTokens;
import io.ferry.admin.core.Topology;
import io.ferry.admin.core.Views;
import io.ferry.admin.core.WebhookTargets;
import io.ferry.admin.store.AdminStore;
import io.ferry.admin.store.PgAdminStore;
import io.ferry.admin.store.RocksAdminStore;
import io.ferry.contracts.auth.JwtVerifier;
import io.ferry.contracts.config.AuthConfig;
import io.ferry.contracts.config.StorageConfig;
import io.ferry.contracts.runtime.Authentication;
import io.ferry.contracts.runtime.PrivateFiles;
import io.ferry.contracts.runtime.ServiceModule;
import io.ferry.contracts.runtime.StoreReadiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
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
  private EventsConsumer eventsConsumer;
  private AttemptsConsumer attemptsConsumer;
  private AttemptHistory attempts;
  private AuditTrail audit;
  private List<Routes> routes = List.of();
  private volatile List<String> banner = List.of();

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
    return openStore(vertx)
        .compose(opened -> {
          store = opened;
          return new AuthBootstrap(store.accounts(), config.auth(), new BusCredentialRevocations(vertx)).run();
        })
        .compose(bootstrap -> {
          banner = bootstrap.banner();
          if (config.auth().mode() == AuthConfig.Mode.OPEN) {
            LOG.warn("!!! auth.mode is OPEN: NO CREDENTIALS ARE CHECKED. Every request acts as the root of the "
                + "default account. Use this only for local experiments, never on a network. !!!");
          }
          return SonyaTokens.open(vertx, store.settings(), config.auth(), bootstrap.defaultAccountId())
              .compose(tokens -> wire(vertx, bootstrap.defaultAccountId(), tokens).register())
              .compose(v -> eventsConsumer.register())
              .compose(v -> attemptsConsumer.register());
        });
  }

  private Future<AdminStore> openStore(Vertx vertx) {
    StorageConfig storage = config.storage();
    if (storage.kind() == StorageConfig.Kind.POSTGRES) {
      return PgAdminStore.open(vertx, storage.postgres(), storage.secretsKey()).map(opened -> opened);
    }
    return vertx.executeBlocking(() -> PrivateFiles.serviceDir(storage, "admin"))
        .compose(dir -> RocksAdminStore.open(vertx, dir, storage.secretsKey()).map(opened -> opened));
  }

  private AdminBusApi wire(Vertx vertx, String defaultAccountId, SonyaTokens tokens) {
    MessagingCommands messaging = new BusMessagingCommands(vertx);
    AdminEvents events = new BusAdminEvents(vertx);
    QueueService queues = new QueueService(store.queues(), store.consumers(), store.listeners(), messaging, events);
    ConsumerService consumers = new ConsumerService(store.consumers(), store.listeners(), queues, messaging, events);
    LivenessReports liveness = new LivenessReports();
    ListenerService listeners = new ListenerService(store.listeners(), queues, messaging,
        new BusDeliveryQueries(vertx), events, new WebhookTargets(config.webhooks()), liveness, store.attempts());
    attempts = new AttemptHistory(store.attempts(), config.attemptsPerListener());
    attemptsConsumer = new AttemptsConsumer(vertx, attempts);
    AccountService accounts = new AccountService(store.accounts());
    Views views = new Views(store.queues(), store.consumers());
    audit = new AuditTrail(store.audit());
    routes = Stream.of(
            CloudflareApi.routes(accounts, queues, consumers, views,
                new EventSubscriptionService(store.eventSubscriptions(), queues)),
            DiscueApi.routes(queues, listeners,
                new ApiKeyService(store.accounts(), new BusCredentialRevocations(vertx)), accounts, audit,
                backups(vertx)),
            SonyaApi.routes(queues, new SonyaService(queues, tokens, messaging, events)),
            List.<Routes>of(new ConsoleRoutes()))
        .flatMap(List::stream)
        .toList();
    eventsConsumer = new EventsConsumer(vertx, new EventSubscriptionDelivery(vertx, messaging,
        new EventRecipients(store.eventSubscriptions(), store.consumers()), audit));
    Authenticator authenticator = new Authenticator(store.accounts(), config.auth(), defaultAccountId, tokens,
        JwtVerifier.create(vertx, config.auth().jwt()),
        new FailureThrottle(Authenticator.MAX_FAILURES, Authenticator.FAILURE_WINDOW_MS, System::currentTimeMillis));
    busApi = new AdminBusApi(vertx, authenticator, queues,
        new Topology(store.queues(), store.consumers(), store.listeners()),
        new ListenerDirectory(store.listeners(), store.queues(), events, liveness), tokens.secret());
    return busApi;
  }

  // Backups go next to the stores (same file system, so checkpoints hard-link instead of copying).
  private BackupService backups(Vertx vertx) {
    StorageConfig storage = config.storage();
    Path root = storage.kind() == StorageConfig.Kind.ROCKSDB ? storage.dataDir().resolve("backups") : null;
    return new BackupService(vertx, root, store, new BusMessagingCheckpoints(vertx), Clock.systemUTC());
  }

  /**
   * The lines the process prints once started: the default account id and how its root key was provided
   * (a newly generated key appears here exactly once, on the start that created it).
   */
  public List<String> startupBanner() {
    return banner;
  }

  // For tests that take the store away from a running module.
  AdminStore store() {
    return store;
  }

  @Override
  public void mountRoutes(Vertx vertx, Router router) {
    Authentication authentication = Authentication.of(vertx);
    routes.forEach(group -> group.mount(router, authentication));
  }

  @Override
  public void registerReadiness(HealthChecks checks) {
    StoreReadiness.register(checks, "admin-store", () -> store == null ? null : store.probe());
  }

  @Override
  public String openApiResource() {
    return "openapi/admin.json";
  }

  @Override
  public Future<Void> stop() {
    // Events stop first, and those already received reach the audit trail before the store closes.
    Future<Void> attemptsStopped = attemptsConsumer == null ? Future.succeededFuture()
        : attemptsConsumer.unregister().eventually(attempts::flush);
    Future<Void> eventsStopped = eventsConsumer == null ? attemptsStopped
        : attemptsStopped.eventually(() -> eventsConsumer.unregister().eventually(audit::flush));
    Future<Void> unregistered = eventsStopped.eventually(() -> busApi == null ? Future.succeededFuture()
        : busApi.unregister());
    return unregistered.eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }
}

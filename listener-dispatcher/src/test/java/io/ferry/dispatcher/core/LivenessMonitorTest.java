package io.ferry.dispatcher.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.dispatcher.DispatcherConfigs;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.net.AddressPolicy;
import io.ferry.contracts.testkit.Ports;
import io.ferry.dispatcher.bus.AdminClient;
import io.ferry.dispatcher.bus.EventPublisher;
import io.ferry.dispatcher.bus.MessagingClient;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.http.WebhookSender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** A failed liveness check is logged without the credentials a liveness URL may carry. */
class LivenessMonitorTest {

  private static final DispatcherConfig CONFIG = DispatcherConfigs.of(new JsonObject()
      .put("dispatcher.request-timeout-ms", 2_000)
      .put("dispatcher.max-in-flight-per-listener", 4)
      .put("dispatcher.liveness-interval-ms", 600_000)
      .put("dispatcher.liveness-timeout-ms", 1_000)
      .put("webhooks.allow-list", new JsonArray().add("127.0.0.0/8")));

  private final Vertx vertx = Vertx.vertx();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(LivenessMonitor.class);
  private WebhookSender sender;

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
    sender = WebhookSender.create(vertx, CONFIG,
        new TargetVetting(AddressPolicy.create(CONFIG.webhooks().allowList()), HostResolver.system(vertx)));
  }

  @AfterEach
  void close() throws Exception {
    logger.detachAppender(logged);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://bob:pa55@127.0.0.1:%d/live?token=s3cret#s3cret",
      "http://bob:pa55@127.0.0.1:%d:1/live?token=s3cret", "http://bob:pa55@10.1.2.3:%d/live?token=s3cret"})
  void aFailedCheckIsLoggedWithoutUserInfoOrQuery(String template) throws Exception {
    int closedPort = Ports.free();
    ListenerInfo listener = new ListenerInfo("lst_1", "acc_1", "q_1", "orders", "billing",
        "http://127.0.0.1:9/hook", String.format(template, closedPort), "whsec_unused");
    DispatcherServices services = new DispatcherServices(vertx, CONFIG, new MessagingClient(vertx),
        new AdminClient(vertx), new EventPublisher(vertx), sender, RetryPolicy.from(CONFIG), new WebhookMeters(null));
    LivenessMonitor monitor = new LivenessMonitor(services, listener, () -> { }, () -> { });
    vertx.runOnContext(v -> monitor.start());

    await().atMost(Duration.ofSeconds(10)).until(() -> !logged.list.isEmpty());
    vertx.runOnContext(v -> monitor.stop());
    String line = logged.list.get(0).getFormattedMessage();
    assertTrue(line.contains("liveness check http://***@"), line);
    assertFalse(line.contains("pa55") || line.contains("s3cret") || line.contains("bob"), line);
  }
}

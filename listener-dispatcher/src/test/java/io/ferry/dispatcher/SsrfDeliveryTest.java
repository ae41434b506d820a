package io.ferry.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.testkit.WebhookReceiver;
import io.ferry.dispatcher.core.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The connect-time SSRF check: refused addresses are failed attempts, and DNS rebinding is caught. */
class SsrfDeliveryTest extends DispatcherTestBase {

  @Test
  void byDefaultALoopbackReceiverIsRefusedAndTheAttemptFails() throws Exception {
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, 30_000, 3, List.of()), NO_JITTER);
    ListenerInfo listener = serve(listener("q1", receiver.url("/hook")));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> !messaging.settlements.isEmpty());
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 5_000L)), messaging.settlements.get(0).retries());
    assertTrue(receiver.received.isEmpty(), "the refused receiver was reached");
  }

  @Test
  void anEncodedLoopbackLiteralIsRefusedToo() throws Exception {
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, 30_000, 3, List.of()), NO_JITTER);
    ListenerInfo listener = serve(listener("q1", "http://0x7f.1:" + receiver.port() + "/hook"));
    messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> messaging.retried().size() == 1);
    assertTrue(receiver.received.isEmpty(), "the refused receiver was reached");
  }

  @Test
  void aNameThatRebindsToARefusedAddressIsRefusedAtTheNextConnect() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    AtomicInteger lookups = new AtomicInteger();
    // 127.0.0.1 plays the public address (allowed); 127.0.0.2 the internal one the name turns into.
    HostResolver rebinding = host -> {
      asked.add(host);
      return Future.succeededFuture(List.of(address(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")));
    };
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, 30_000, 3, List.of("127.0.0.1/32")),
        NO_JITTER, vertx -> rebinding);
    ListenerInfo listener = serve(listener("q1", "http://hooks.example:" + receiver.port() + "/hook"));
    await(module.start(vertx));

    LeasedMessage first = messaging.offerJson("q1", listener.id(), "{}", 1);
    waitUntil("the first message is acked").until(() -> messaging.acked() == 1);
    WebhookReceiver.Received delivered = receiver.received.take();
    assertEquals("hooks.example:" + receiver.port(), delivered.headers().getOrDefault("Host", delivered.headers().get("host")).get(0),
        "the Host header names the URL's host, not the address connected to");

    LeasedMessage second = messaging.offerJson("q1", listener.id(), "{}", 1);
    waitUntil("the second attempt is settled").until(() -> messaging.retried().size() == 1);
    assertEquals(List.of(new RetryRequest(second.leaseId(), null, 5_000L)), messaging.retried());
    assertTrue(receiver.received.isEmpty(), "the rebound name was connected to");
    assertEquals(List.of("hooks.example", "hooks.example"), asked, "resolved once per connect");
    assertTrue(messaging.settlements.get(0).acks().contains(first.leaseId()));
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIsRefused() throws Exception {
    HostResolver mixed = host -> Future.succeededFuture(List.of(address("127.0.0.1"), address("10.0.0.7")));
    module = DispatcherModule.create(CONFIG, NO_JITTER, vertx -> mixed);
    ListenerInfo listener = serve(listener("q1", "http://hooks.example:" + receiver.port() + "/hook"));
    messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> messaging.retried().size() == 1);
    assertTrue(receiver.received.isEmpty(), "a name with a private address was connected to");
  }

  @Test
  void aNameThatDoesNotResolveIsAFailedAttempt() throws Exception {
    HostResolver failing = host -> Future.failedFuture(new UnknownHostException(host));
    module = DispatcherModule.create(CONFIG, NO_JITTER, vertx -> failing);
    ListenerInfo listener = serve(listener("q1", "http://nowhere.example/hook"));
    LeasedMessage leased = messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the attempt is settled").until(() -> messaging.retried().size() == 1);
    assertEquals(List.of(new RetryRequest(leased.leaseId(), null, 5_000L)), messaging.retried());
  }

  @Test
  void anAllowedIpv6LiteralIsDeliveredToWithABracketedHostHeader() throws Exception {
    List<String> hosts = new CopyOnWriteArrayList<>();
    HttpServer ipv6 = vertx.createHttpServer().requestHandler(request -> {
      hosts.add(request.headers().get("Host"));
      request.response().setStatusCode(204).end();
    });
    await(ipv6.listen(0, "::1"));
    module = DispatcherModule.create(config(MAX_ATTEMPTS, 5_000, 300_000, 30_000, 3, List.of("::1/128")),
        NO_JITTER);
    ListenerInfo listener = serve(listener("q1", "http://[::1]:" + ipv6.actualPort() + "/hook"));
    messaging.offerJson("q1", listener.id(), "{}", 1);

    await(module.start(vertx));

    waitUntil("the message is acked").until(() -> messaging.acked() == 1);
    assertEquals(List.of("[::1]:" + ipv6.actualPort()), hosts);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}

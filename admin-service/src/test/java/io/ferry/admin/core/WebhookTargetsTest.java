package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.WebhookNetworkConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host names are resolved off the event loop and every address they resolve to must be allowed. */
class WebhookTargetsTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<Boolean> resolvedOnEventLoop = new CopyOnWriteArrayList<>();
  private final List<String> resolvedHosts = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private WebhookTargets targets(Map<String, List<String>> dns, List<String> allowList) {
    return new WebhookTargets(vertx, new WebhookNetworkConfig(allowList), host -> {
      resolvedOnEventLoop.add(Context.isOnEventLoopThread());
      resolvedHosts.add(host);
      List<String> addresses = dns.get(host);
      if (addresses == null) {
        throw new UnknownHostException(host);
      }
      InetAddress[] resolved = new InetAddress[addresses.size()];
      for (int i = 0; i < resolved.length; i++) {
        resolved[i] = InetAddress.getByName(addresses.get(i));
      }
      return resolved;
    });
  }

  // Runs the check from an event loop, as a route does.
  private Future<Void> check(WebhookTargets targets, String url) {
    return Future.future(promise -> vertx.runOnContext(v -> targets.check("notify_url", url).onComplete(promise)));
  }

  private static FerryException refusal(Future<Void> check) {
    Exception e = assertThrows(Exception.class, () -> check.await(10, TimeUnit.SECONDS));
    FerryException refused = FerryException.from(e);
    assertEquals(ErrorCode.UNPROCESSABLE, refused.code());
    assertEquals("notify_url", refused.field());
    return refused;
  }

  @Test
  void acceptsNamesThatResolveToPublicAddressesOnly() throws Exception {
    WebhookTargets targets = targets(Map.of("hooks.example", List.of("93.184.215.14", "2606:2800:21f:cb07::1"),
        "mixed.example", List.of("93.184.215.14", "10.1.2.3")), List.of());
    check(targets, "https://hooks.example/path?x=1").await(10, TimeUnit.SECONDS);
    assertEquals(List.of("hooks.example"), resolvedHosts);
    assertFalse(resolvedOnEventLoop.get(0), "DNS must not block an event loop");

    String why = refusal(check(targets, "https://mixed.example/")).getMessage();
    assertTrue(why.contains("mixed.example resolves to a refused address") && why.contains("10.1.2.3"), why);
    assertTrue(why.contains("webhooks.allow-list"), why);
    assertTrue(refusal(check(targets, "http://unknown.example/")).getMessage()
        .contains("host unknown.example cannot be resolved"));
  }

  @Test
  void literalAddressesAreNeverResolved() throws Exception {
    WebhookTargets targets = targets(Map.of(), List.of());
    check(targets, "http://93.184.215.14:8080/").await(10, TimeUnit.SECONDS);
    check(targets, "http://[2606:2800:21f:cb07::1]/").await(10, TimeUnit.SECONDS);
    assertTrue(refusal(check(targets, "http://127.1/")).getMessage().contains("loopback"));
    assertTrue(refusal(check(targets, "http://a:b@[::1]:80/")).getMessage().contains("loopback"));
    assertEquals(List.of(), resolvedHosts);
  }

  @Test
  void allowListOpensResolvedAddressesToo() throws Exception {
    WebhookTargets targets = targets(Map.of("local.test", List.of("127.0.0.1")), List.of("127.0.0.0/8"));
    check(targets, "http://local.test:9/").await(10, TimeUnit.SECONDS);
    check(targets, "http://127.0.0.1:9/").await(10, TimeUnit.SECONDS);
    refusal(check(targets, "http://[::1]:9/"));
  }

  @Test
  void checksBothListenerUrlsAndSkipsUnchangedOnes() throws Exception {
    WebhookTargets targets = targets(Map.of(), List.of());
    targets.checkListenerUrls(null, null).await(10, TimeUnit.SECONDS);
    targets.checkListenerUrls("https://93.184.215.14/", null).await(10, TimeUnit.SECONDS);
    Exception e = assertThrows(Exception.class, () -> targets.checkListenerUrls(null, "http://10.0.0.1/")
        .await(10, TimeUnit.SECONDS));
    assertEquals("liveness_url", FerryException.from(e).field());
  }

  @Test
  void anAuthorityWithTwoPortsOrPortZeroIsRefusedEvenWhereItsHostIsAllowed() throws Exception {
    WebhookTargets targets = targets(Map.of(), List.of("127.0.0.0/8"));
    check(targets, "http://127.0.0.2:19188/").await(10, TimeUnit.SECONDS);
    assertEquals("notify_url: has an invalid host or port",
        refusal(check(targets, "http://127.0.0.2:19188:19187/")).getMessage());
    assertEquals("notify_url: has an invalid port (1 to 65535)",
        refusal(check(targets, "http://127.0.0.2:0/")).getMessage());
    assertEquals("notify_url: has an invalid port (1 to 65535)",
        refusal(check(targets, "http://localhost:0/")).getMessage());
    assertEquals(List.of(), resolvedHosts);
  }

  @Test
  void benchmarkingAndDocumentationRangesAreRefused() throws Exception {
    WebhookTargets targets = targets(Map.of("bench.example", List.of("198.19.0.1")), List.of());
    assertTrue(refusal(check(targets, "http://198.18.0.1/")).getMessage().contains("benchmarking"));
    assertTrue(refusal(check(targets, "http://bench.example/")).getMessage().contains("198.19.0.1 is a benchmarking"));
    assertTrue(refusal(check(targets, "http://203.0.113.5/")).getMessage().contains("documentation"));
  }
}

package io.ferry.admin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.WebhookNetworkConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Literal addresses (and localhost) must be allowed by the policy; host names are accepted without asking DNS,
 * which only the dispatcher does, at every connect.
 */
class WebhookTargetsTest {

  private static WebhookTargets targets(List<String> allowList) {
    return new WebhookTargets(new WebhookNetworkConfig(allowList));
  }

  private static FerryException refusal(Future<Void> check) {
    Exception e = assertThrows(Exception.class, () -> check.await(10, TimeUnit.SECONDS));
    FerryException refused = FerryException.from(e);
    assertEquals(ErrorCode.UNPROCESSABLE, refused.code());
    assertEquals("notify_url", refused.field());
    return refused;
  }

  @Test
  void acceptsHostNamesThatDoNotResolveHere() throws Exception {
    WebhookTargets targets = targets(List.of());
    targets.check("notify_url", "https://myapp.io/deletion/listener").await(10, TimeUnit.SECONDS);
    targets.check("notify_url", "https://no-such-name.invalid/").await(10, TimeUnit.SECONDS);
  }

  @Test
  void refusesLiteralPrivateAndLoopbackAddressesAndLocalhost() throws Exception {
    WebhookTargets targets = targets(List.of());
    targets.check("notify_url", "http://93.184.215.14:8080/").await(10, TimeUnit.SECONDS);
    targets.check("notify_url", "http://[2606:2800:21f:cb07::1]/").await(10, TimeUnit.SECONDS);
    assertTrue(refusal(targets.check("notify_url", "http://127.1/")).getMessage().contains("loopback"));
    assertTrue(refusal(targets.check("notify_url", "http://a:b@[::1]:80/")).getMessage().contains("loopback"));
    assertTrue(refusal(targets.check("notify_url", "http://10.1.2.3/")).getMessage()
        .contains("webhooks.allow-list"));
    assertTrue(refusal(targets.check("notify_url", "http://LocalHost./")).getMessage().contains("loopback"));
    assertTrue(refusal(targets.check("notify_url", "http://app.localhost:8080/")).getMessage()
        .contains("loopback"));
  }

  @Test
  void allowListOpensLiteralsAndLocalhost() throws Exception {
    WebhookTargets targets = targets(List.of("127.0.0.0/8"));
    targets.check("notify_url", "http://127.0.0.1:9/").await(10, TimeUnit.SECONDS);
    targets.check("notify_url", "http://localhost:9/").await(10, TimeUnit.SECONDS);
    refusal(targets.check("notify_url", "http://[::1]:9/"));
  }

  @Test
  void checksBothListenerUrlsAndSkipsUnchangedOnes() throws Exception {
    WebhookTargets targets = targets(List.of());
    targets.checkListenerUrls(null, null).await(10, TimeUnit.SECONDS);
    targets.checkListenerUrls("https://93.184.215.14/", null).await(10, TimeUnit.SECONDS);
    Exception e = assertThrows(Exception.class, () -> targets.checkListenerUrls(null, "http://10.0.0.1/")
        .await(10, TimeUnit.SECONDS));
    assertEquals("liveness_url", FerryException.from(e).field());
  }

  @Test
  void anAuthorityWithTwoPortsOrPortZeroIsRefusedEvenWhereItsHostIsAllowed() throws Exception {
    WebhookTargets targets = targets(List.of("127.0.0.0/8"));
    targets.check("notify_url", "http://127.0.0.2:19188/").await(10, TimeUnit.SECONDS);
    assertEquals("notify_url: has an invalid host or port",
        refusal(targets.check("notify_url", "http://127.0.0.2:19188:19187/")).getMessage());
    assertEquals("notify_url: has an invalid port (1 to 65535)",
        refusal(targets.check("notify_url", "http://127.0.0.2:0/")).getMessage());
    assertEquals("notify_url: has an invalid port (1 to 65535)",
        refusal(targets.check("notify_url", "http://localhost:0/")).getMessage());
  }

  @Test
  void benchmarkingAndDocumentationRangesAreRefusedAsLiterals() throws Exception {
    // A name resolving into these ranges is refused by the dispatcher at connect, not here.
    WebhookTargets targets = targets(List.of());
    assertTrue(refusal(targets.check("notify_url", "http://198.18.0.1/")).getMessage().contains("benchmarking"));
    assertTrue(refusal(targets.check("notify_url", "http://203.0.113.5/")).getMessage().contains("documentation"));
  }
}

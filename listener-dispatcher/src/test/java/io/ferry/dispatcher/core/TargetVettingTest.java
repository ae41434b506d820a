package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.net.AddressPolicy;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetVettingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "http://hooks.example/in|false|hooks.example|80|/in",
      "https://hooks.example/in?a=1&b=%20|true|hooks.example|443|/in?a=1&b=%20",
      "HTTPS://hooks.example:8443|true|hooks.example|8443|/",
      "http://user:pw@hooks.example:81/x#frag|false|hooks.example|81|/x",
      "http://127.0.0.1@evil.example/x|false|evil.example|80|/x",
      "http://[::1]:8080/x|false|[::1]|8080|/x",
      "http://[::1]/x|false|[::1]|80|/x",
      "http://0x7f.1:9/x|false|0x7f.1|9|/x",
      "http://hooks.example:/x|false|hooks.example|80|/x",
  })
  void splitsAbsoluteHttpUrls(String url, boolean ssl, String host, int port, String requestUri) {
    TargetVetting.Target target = TargetVetting.parse(url);
    assertEquals(new TargetVetting.Target(ssl, host, port, requestUri, null), target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "ftp://hooks.example/x", "/relative", "hooks.example/x", "http:///x",
      "http://hooks.example:0/x", "http://hooks.example:65536/x", "http://127.0.0.2:19188:19187/",
      "http://127.1:0/", "http://a_b.example:1:2/", "http://hooks.example:8o/x", "http://[::1/x",
      "file:///etc/passwd", "javascript:alert(1)", ""})
  void refusesWhatIsNotAnAbsoluteHttpUrl(String url) {
    assertThrows(TargetVetting.Refused.class, () -> TargetVetting.parse(url));
  }

  @Test
  void anUnusableUrlIsNamedWithoutItsCredentials() {
    TargetVetting.Refused refused = assertThrows(TargetVetting.Refused.class,
        () -> TargetVetting.parse("http://bob:pa55@127.0.0.2:19188:19187/live?token=s3cret"));
    assertEquals("'http://***@127.0.0.2:19188:19187/live?***' has an invalid host or port", refused.getMessage());
  }

  @Test
  void aLiteralHostIsCheckedWithoutResolving() throws Exception {
    TargetVetting vetting = new TargetVetting(AddressPolicy.create(List.of()), host -> {
      throw new AssertionError("resolved " + host);
    });

    assertEquals("refused by the SSRF policy: 127.0.0.1 is a loopback address",
        refusal(vetting, "http://2130706433/x"));
    assertEquals("refused by the SSRF policy: ::1 is a loopback address", refusal(vetting, "http://[::1]:8080/x"));
    assertEquals(InetAddress.getByName("8.8.8.8"), await(vetting.vet("http://8.8.8.8/x")).address());
  }

  @Test
  void aNameIsRefusedWhenAnyAddressIsAndVettedToItsFirstOtherwise() throws Exception {
    InetAddress publicOne = InetAddress.getByName("93.184.216.34");
    InetAddress publicTwo = InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946");
    InetAddress metadata = InetAddress.getByName("169.254.169.254");
    AddressPolicy policy = AddressPolicy.create(List.of());

    TargetVetting good = new TargetVetting(policy, host -> Future.succeededFuture(List.of(publicOne, publicTwo)));
    TargetVetting.Target target = await(good.vet("https://hooks.example/x"));
    assertEquals(publicOne, target.address());
    assertEquals("hooks.example", target.host());

    TargetVetting mixed = new TargetVetting(policy, host -> Future.succeededFuture(List.of(publicOne, metadata)));
    assertEquals("refused by the SSRF policy: hooks.example resolved to 169.254.169.254, and 169.254.169.254 is "
        + "the cloud metadata address", refusal(mixed, "https://hooks.example/x"));

    TargetVetting none = new TargetVetting(policy, host -> Future.succeededFuture(List.of()));
    assertEquals("hooks.example resolved to no address", refusal(none, "https://hooks.example/x"));
  }

  @Test
  void theSystemResolverIsUsedForNames() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      TargetVetting vetting = new TargetVetting(AddressPolicy.create(List.of()), HostResolver.system(vertx));
      String refusal = refusal(vetting, "http://localhost:8080/x");
      assertTrue(refusal.startsWith("refused by the SSRF policy: localhost resolved to "), refusal);
      assertTrue(refusal.contains("is a loopback address"), refusal);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String refusal(TargetVetting vetting, String url) throws Exception {
    ExecutionException failure = assertThrows(ExecutionException.class, () -> await(vetting.vet(url)));
    assertTrue(failure.getCause() instanceof TargetVetting.Refused, failure.getCause().toString());
    return failure.getCause().getMessage();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

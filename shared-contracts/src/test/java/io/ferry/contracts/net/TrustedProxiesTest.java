package io.ferry.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "2001:db8::/32"), "k");

  @Test
  void headersCountOnlyFromATrustedPeer() {
    assertEquals("198.51.100.1", proxies.clientAddress("198.51.100.1", "for=192.0.2.9", "192.0.2.9"));
    assertEquals("192.0.2.9", proxies.clientAddress("10.1.2.3", null, "192.0.2.9"));
    assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", null, null));
    assertEquals("192.0.2.9", TrustedProxies.none().clientAddress("192.0.2.9", null, "203.0.113.1"));
  }

  @Test
  void theClientIsTheNearestUntrustedHop() {
    // A client may prepend anything; only what trusted proxies appended counts.
    assertEquals("192.0.2.9", proxies.clientAddress("10.1.2.3", null, "6.6.6.6, 192.0.2.9, 10.9.9.9"));
    assertEquals("192.0.2.9", proxies.clientAddress("10.1.2.3",
        "for=6.6.6.6, for=\"192.0.2.9:4711\";proto=https, for=\"[2001:db8::7]\"", "203.0.113.1"));
    assertEquals("2001:db9::1", proxies.clientAddress("10.1.2.3", "for=\"[2001:db9::1]:80\"", null));
    assertEquals("10.0.0.1", proxies.clientAddress("10.1.2.3", null, "10.0.0.1"), "only proxies: the first");
    assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", "for=unknown", null), "an obfuscated hop");
  }

  @Test
  void aRangeThatIsNotACidrFailsNamingTheKey() {
    ConfigException bad = assertThrows(ConfigException.class,
        () -> TrustedProxies.parse(List.of("10.0.0.0"), "auth.trusted-proxies"));
    assertTrue(bad.getMessage().contains("auth.trusted-proxies") && bad.getMessage().contains("10.0.0.0"),
        bad.getMessage());
  }
}

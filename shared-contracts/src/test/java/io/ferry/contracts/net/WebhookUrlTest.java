package io.ferry.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookUrlTest {

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
      "http://127.1/x|false|127.1|80|/x",
      "http://a_b.example:8080/x|false|a_b.example|8080|/x",
      "http://u:p@a_b.example:8080/x|false|a_b.example|8080|/x",
      "http://hooks.example:/x|false|hooks.example|80|/x",
      "http://hooks.example:65535|false|hooks.example|65535|/",
  })
  void splitsAbsoluteHttpUrls(String url, boolean ssl, String host, int port, String requestUri) {
    assertEquals(new WebhookUrl(ssl, host, port, requestUri), WebhookUrl.parse(url));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.2:19188:19187/|has an invalid host or port",
      "http://a_b.example:1:2/|has an invalid host or port",
      "http://hooks.example:0/x|has an invalid port (1 to 65535)",
      "http://127.1:0/x|has an invalid port (1 to 65535)",
      "http://hooks.example:65536/x|has an invalid port (1 to 65535)",
      "http://127.1:99999/x|has an invalid port (1 to 65535)",
      "http://127.1:123456/x|has an invalid host or port",
      "http://a_b.example:8o/x|has an invalid host or port",
      "http://a%62c.example/x|has an invalid host or port",
      "http://user@/x|must name a host",
      "http:///x|must name a host",
      "ftp://hooks.example/x|must use http or https, not ftp",
      "/relative|must be an absolute URL such as https://example.com/webhook",
      "hooks.example/x|must be an absolute URL such as https://example.com/webhook",
      "javascript:alert(1)|must use http or https, not javascript",
      "file:///etc/passwd|must use http or https, not file",
  })
  void refusesWhatIsNotAnAbsoluteHttpUrlWithOneHostAndPort(String url, String why) {
    assertEquals(why, assertThrows(WebhookUrl.Invalid.class, () -> WebhookUrl.parse(url)).getMessage());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {"not a url", "http://[::1/x", "''", "http://hooks.example:8o/x"})
  void refusesTextThatIsNoUri(String url) {
    assertThrows(WebhookUrl.Invalid.class, () -> WebhookUrl.parse(url));
  }
}

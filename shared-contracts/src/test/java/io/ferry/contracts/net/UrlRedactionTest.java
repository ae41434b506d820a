package io.ferry.contracts.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRedactionTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "https://hooks.example/in|https://hooks.example/in",
      "https://user:pa55@hooks.example:8443/in|https://***@hooks.example:8443/in",
      "https://hooks.example/in?token=s3cret&x=1|https://hooks.example/in?***",
      "https://u:p@hooks.example?token=s3cret#frag|https://***@hooks.example?***",
      "https://hooks.example/in#s3cret|https://hooks.example/in#***",
      "http://a@b@hooks.example/p@th|http://***@hooks.example/p@th",
      "http://127.0.0.2:19188:19187/?token=s3cret|http://127.0.0.2:19188:19187/?***",
      "user:pa55@hooks.example/x?token=s3cret|***@hooks.example/x?***",
      "not a url|not a url",
      "''|''",
  })
  void masksUserInfoQueryAndFragment(String url, String safe) {
    assertEquals(safe, UrlRedaction.redact(url));
  }

  @Test
  void lineBreaksCannotForgeLogLines() {
    assertEquals("http://hooks.example/a??INFO forged", UrlRedaction.redact("http://hooks.example/a\r\nINFO forged"));
  }

  @Test
  void nullStaysNull() {
    assertNull(UrlRedaction.redact(null));
    assertNull(UrlRedaction.scrub(null, "http://x/"));
  }

  @Test
  void scrubsTheUrlsSecretsOutOfAnyMessage() {
    String url = "http://bob:pa55@hooks.example:81/live?token=s3cret#f";
    String message = "The timeout period of 5000ms has been exceeded while executing GET /live?token=s3cret for "
        + "server bob:pa55@hooks.example:81 (http://bob:pa55@hooks.example:81/live?token=s3cret#f)";
    assertEquals("The timeout period of 5000ms has been exceeded while executing GET /live?*** for server "
        + "***@hooks.example:81 (http://***@hooks.example:81/live?***#***)", UrlRedaction.scrub(message, url));
  }

  @Test
  void scrubLeavesMessagesAloneWhenTheUrlHasNoSecrets() {
    assertEquals("connection refused: /127.0.0.1:9", UrlRedaction.scrub("connection refused: /127.0.0.1:9",
        "http://127.0.0.1:9/live"));
  }
}

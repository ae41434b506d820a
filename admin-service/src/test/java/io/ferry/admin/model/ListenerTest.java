package io.ferry.admin.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ListenerTest {

  @Test
  void recordsFromBeforeTheStatusWereEnabled() {
    JsonObject legacy = new Listener("l", "acct", "q", "old", "https://a.example/n", "https://a.example/l",
        "whsec_x", 1L).toJson();
    legacy.remove("enabled");
    assertTrue(Listener.fromJson(legacy).enabled());
  }
}

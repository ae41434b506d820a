package io.ferry.admin;

import static io.ferry.contracts.error.Dialect.DISCUE;
import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.bus.FerryEvents;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/events} over real HTTP: what it lists, its paging, and who may see what. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailRoutesTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private final String rootKey = admin.rootKey();

  private JsonObject events(String query, String credential) throws Exception {
    HttpResponse<Buffer> response = admin.get("/v1/events" + query, credential);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject page) {
    return page.getJsonArray("events").stream().map(e -> (JsonObject) e).toList();
  }

  private static List<String> queueNames(List<JsonObject> events, String type) {
    return events.stream().filter(e -> e.getString("type").equals(type))
        .map(e -> e.getJsonObject("payload").getString("queue_name")).toList();
  }

  @Test
  void listsTheAccountsEventsNewestFirstPageByPage() throws Exception {
    TestAccounts.Account account = admin.account("audited");
    List<String> queueIds = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      queueIds.add(admin.discueQueue(account.key(), "audit-" + i));
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> queueNames(items(events("?limit=100", account.key())), "queue.created").size() == 5);
    List<JsonObject> all = items(events("?limit=100", account.key()));
    assertEquals(List.of("audit-5", "audit-4", "audit-3", "audit-2", "audit-1"), queueNames(all, "queue.created"));
    JsonObject newest = all.stream().filter(e -> e.getString("type").equals("queue.created")).findFirst().orElseThrow();
    assertTrue(Ids.isValid(newest.getString("id")));
    assertEquals(queueIds.get(4), newest.getString("resource_id"));
    assertTrue(Math.abs(Instant.parse(newest.getString("timestamp")).toEpochMilli() - System.currentTimeMillis())
        < 60_000);
    assertEquals(new JsonObject().put("queue_id", queueIds.get(4)).put("queue_name", "audit-5"),
        newest.getJsonObject("payload"));
    assertEquals(new JsonObject().put("id", newest.getString("id")).put("type", "queue.created")
        .put("resource_id", queueIds.get(4)).put("timestamp", newest.getString("timestamp"))
        .put("payload", newest.getJsonObject("payload")), newest, "exactly these fields");

    JsonObject first = events("?limit=2", account.key());
    assertEquals("/v1/events?limit=2", first.getJsonObject("_links").getJsonObject("self").getString("href"));
    List<JsonObject> paged = new ArrayList<>(items(first));
    assertEquals(2, paged.size());
    JsonObject page = first;
    while (page.getJsonObject("_links").containsKey("next")) {
      String next = page.getJsonObject("_links").getJsonObject("next").getString("href");
      String after = paged.get(paged.size() - 1).getString("id");
      assertEquals("/v1/events?startAfterId=" + after + "&limit=2", next);
      page = events(next.substring("/v1/events".length()), account.key());
      assertEquals(next, page.getJsonObject("_links").getJsonObject("self").getString("href"));
      paged.addAll(items(page));
      assertTrue(paged.size() <= all.size(), "paging ends");
    }
    assertEquals(all, paged, "the pages together are the whole trail, each event once");
    assertNull(page.getJsonObject("_links").getValue("next"));
  }

  @Test
  void eachEventIsRecordedByOneAdminInstanceHoweverManyRun() throws Exception {
    TestAccounts.Account account = admin.account("audit-shared");
    List<String> atOtherInstance = new CopyOnWriteArrayList<>();
    MessageConsumer<FerryEvent> otherInstance = Bus.serve(admin.node.vertx(), Endpoints.EVENT_RECORD, event -> {
      atOtherInstance.add(event.id());
      return Future.<Void>succeededFuture();
    }).await(5, TimeUnit.SECONDS);
    Set<String> announced = new HashSet<>();
    try {
      for (int i = 0; i < 10; i++) {
        FerryEvent event = new FerryEvent(Ids.newId(), "message.dead_lettered", account.id(), Ids.newId(),
            System.currentTimeMillis(), new JsonObject().put("n", i));
        announced.add(event.id());
        FerryEvents.announce(admin.node.vertx(), event);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> recordedHere(account).size() + atOtherInstance.size() >= 10);
    } finally {
      otherInstance.unregister().await(5, TimeUnit.SECONDS);
    }
    List<String> here = recordedHere(account);
    Set<String> both = new HashSet<>(here);
    both.addAll(atOtherInstance);
    assertEquals(announced, both);
    assertEquals(10, here.size() + atOtherInstance.size(), "no event is recorded by both instances");
  }

  private List<String> recordedHere(TestAccounts.Account account) throws Exception {
    return items(events("?limit=100", account.key())).stream()
        .filter(e -> e.getString("type").equals("message.dead_lettered")).map(e -> e.getString("id")).toList();
  }

  @Test
  void recordsEventsOfOtherServicesAndKeepsAccountsApart() throws Exception {
    TestAccounts.Account one = admin.account("audit-one");
    TestAccounts.Account two = admin.account("audit-two");
    String queueId = admin.discueQueue(one.key(), "audit-private");
    FerryEvent deadLettered = new FerryEvent(Ids.newId(), "message.dead_lettered", one.id(), Ids.newId(),
        System.currentTimeMillis(), new JsonObject().put("queue_id", queueId));
    FerryEvents.announce(admin.node.vertx(), deadLettered);
    await().atMost(Duration.ofSeconds(5)).until(() -> items(events("", one.key())).stream()
        .anyMatch(e -> e.getString("id").equals(deadLettered.id())));
    assertEquals(deadLettered.resourceId(), items(events("", one.key())).get(0).getString("resource_id"));

    List<JsonObject> theirs = items(events("?limit=100", two.key()));
    assertFalse(theirs.stream().anyMatch(e -> e.getString("id").equals(deadLettered.id())
        || queueId.equals(e.getJsonObject("payload").getString("queue_id"))));
    assertError(admin.get("/v1/events?startAfterId=" + deadLettered.id(), two.key()),
        DISCUE, ErrorCode.INVALID_FIELD, "startAfterId");
  }

  @Test
  void refusesBadCursorsAndLimits() throws Exception {
    assertError(admin.get("/v1/events?limit=0", rootKey), DISCUE, ErrorCode.INVALID_FIELD, "limit");
    assertError(admin.get("/v1/events?limit=101", rootKey), DISCUE, ErrorCode.INVALID_FIELD, "limit");
    assertError(admin.get("/v1/events?limit=ten", rootKey), DISCUE, ErrorCode.INVALID_FIELD, "limit");
    assertError(admin.get("/v1/events?startAfterId=nope", rootKey), DISCUE, ErrorCode.INVALID_FIELD, "startAfterId");
    assertError(admin.get("/v1/events?startAfterId=" + Ids.newId(), rootKey),
        DISCUE, ErrorCode.INVALID_FIELD, "startAfterId");
    HttpResponse<Buffer> problem = admin.get("/v1/events?limit=0", rootKey);
    assertEquals("application/problem+json", problem.getHeader("Content-Type"));
  }

  @Test
  void showsTwentyFiveEventsUnlessToldOtherwise() throws Exception {
    TestAccounts.Account account = admin.account("audit-many");
    for (int i = 0; i < 27; i++) {
      admin.discueQueue(account.key(), "many-" + i);
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> queueNames(items(events("?limit=100", account.key())), "queue.created").size() == 27);
    JsonObject page = events("", account.key());
    assertEquals(25, page.getJsonArray("events").size());
    assertEquals("/v1/events?limit=25", page.getJsonObject("_links").getJsonObject("self").getString("href"));
    assertTrue(page.getJsonObject("_links").getJsonObject("next").getString("href").endsWith("&limit=25"));
    assertEquals(List.of("many-26"), queueNames(items(events("?limit=1", account.key())), "queue.created"));
  }

  @Test
  void needsTheEventsGrant() throws Exception {
    TestAccounts.Account account = admin.account("audit-scoped");
    String shown = admin.discueQueue(account.key(), "audit-shown");
    admin.discueQueue(account.key(), "audit-hidden");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> queueNames(items(events("?limit=100", account.key())), "queue.created").size() == 2);

    assertError(admin.get("/v1/events", null), DISCUE, ErrorCode.UNAUTHENTICATED, "");
    String queuesOnly = TestAccounts.scopedKey(admin, account.key(), "queues", "read", "*");
    assertError(admin.get("/v1/events", queuesOnly), DISCUE, ErrorCode.FORBIDDEN, "events");
    String everything = TestAccounts.scopedKey(admin, account.key(), "events", "read", "*");
    assertEquals(List.of("audit-hidden", "audit-shown"),
        queueNames(items(events("?limit=100", everything)), "queue.created"));
    String oneQueue = TestAccounts.scopedKey(admin, account.key(), "events", "read", shown);
    List<JsonObject> visible = items(events("?limit=100", oneQueue));
    assertEquals(List.of("audit-shown"), queueNames(visible, "queue.created"));
    assertTrue(visible.stream().allMatch(e -> shown.equals(e.getJsonObject("payload").getString("queue_id"))),
        "events about no queue or other queues stay hidden");
  }
}

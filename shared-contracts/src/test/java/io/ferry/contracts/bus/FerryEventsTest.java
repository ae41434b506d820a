package io.ferry.contracts.bus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An announced event reaches every observer, and exactly one of the admin instances that record events. */
class FerryEventsTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyObserverSeesEachEventAndOneRecorderRecordsIt() throws Exception {
    List<String> observedByGateway = new CopyOnWriteArrayList<>();
    List<String> observedByDispatcher = new CopyOnWriteArrayList<>();
    List<String> recordedByFirstAdmin = new CopyOnWriteArrayList<>();
    List<String> recordedBySecondAdmin = new CopyOnWriteArrayList<>();
    Bus.subscribe(vertx, Endpoints.EVENTS, event -> observedByGateway.add(event.id()))
        .completion().await(5, TimeUnit.SECONDS);
    Bus.subscribe(vertx, Endpoints.EVENTS, event -> observedByDispatcher.add(event.id()))
        .completion().await(5, TimeUnit.SECONDS);
    for (List<String> recorder : List.of(recordedByFirstAdmin, recordedBySecondAdmin)) {
      Bus.serve(vertx, Endpoints.EVENT_RECORD, event -> {
        recorder.add(event.id());
        return Future.<Void>succeededFuture();
      }).await(5, TimeUnit.SECONDS);
    }

    Set<String> announced = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      FerryEvent event = new FerryEvent(Ids.newId(), "queue.created", "acct", Ids.newId(),
          System.currentTimeMillis(), new JsonObject());
      announced.add(event.id());
      FerryEvents.announce(vertx, event);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> observedByGateway.size() == 6
        && observedByDispatcher.size() == 6 && recordedByFirstAdmin.size() + recordedBySecondAdmin.size() == 6);
    assertEquals(announced, Set.copyOf(observedByGateway));
    assertEquals(announced, Set.copyOf(observedByDispatcher));
    List<String> recorded = new ArrayList<>(recordedByFirstAdmin);
    recorded.addAll(recordedBySecondAdmin);
    assertEquals(6, recorded.size());
    assertEquals(announced, Set.copyOf(recorded), "each event recorded once, by one of the two");
  }
}

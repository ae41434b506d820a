package io.ferry.contracts.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BusTest {

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
  void recordsCrossTheWireIntact() {
    StoredMessage message = new StoredMessage("a".repeat(32), "b".repeat(32), 7, null, ContentType.BYTES,
        new byte[] {0, 1, (byte) 0xff}, 1_700_000_000_000L, 1_700_000_001_000L);
    PublishedBatch batch = new PublishedBatch("b".repeat(32), List.of(message));
    RecordCodec<PublishedBatch> codec = new RecordCodec<>(PublishedBatch.class, PublishedBatch::fromJson);
    Buffer wire = Buffer.buffer("prefix".getBytes(StandardCharsets.UTF_8));
    codec.encodeToWire(wire, batch);
    PublishedBatch decoded = codec.decodeFromWire(6, wire);
    StoredMessage back = decoded.messages().get(0);
    assertEquals(message.id(), back.id());
    assertEquals(7, back.sequence());
    assertEquals(null, back.key());
    assertEquals(ContentType.BYTES, back.contentType());
    assertArrayEquals(message.body(), back.body());
    assertEquals(message.availableAtMs(), back.availableAtMs());
    assertSame(batch, codec.transform(batch), "in one JVM the reference itself is delivered");
  }

  @Test
  void domainErrorsComeBackToTheRequester() throws Exception {
    Bus.<QueueLookup, Object>serve(vertx, "test.lookup", lookup -> Future.failedFuture(
            new FerryException(ErrorCode.QUEUE_NOT_FOUND, "no queue " + lookup.queueName(), "queue_name")))
        .await(5, TimeUnit.SECONDS);
    Throwable failure = Bus.request(vertx, "test.lookup", QueueLookup.byName("acc", "orders"))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);
    FerryException error = (FerryException) failure;
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, error.code());
    assertEquals("no queue orders", error.getMessage());
    assertEquals("queue_name", error.field());
  }

  @Test
  void unexpectedFailuresBecomeInternalAndMissingServicesUnavailable() throws Exception {
    Bus.<QueueLookup, Object>serve(vertx, "test.boom", lookup -> {
      throw new IllegalStateException("bug");
    }).await(5, TimeUnit.SECONDS);
    FerryException internal = (FerryException) Bus.request(vertx, "test.boom", QueueLookup.byId("a", "b"))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);
    assertEquals(ErrorCode.INTERNAL, internal.code());
    assertEquals("internal error", internal.getMessage(), "internals are not leaked");

    FerryException unavailable = (FerryException) Bus.request(vertx, "test.nobody", QueueLookup.byId("a", "b"))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);
    assertEquals(ErrorCode.UNAVAILABLE, unavailable.code());
  }

  @Test
  void aRequestDeliveredButNotAnsweredInTimeIsInDoubt() throws Exception {
    vertx.eventBus().<QueueLookup>consumer("test.silent", message -> {
      // received, never answered: it may have done its work
    }).completion().await(5, TimeUnit.SECONDS);
    FerryException inDoubt = (FerryException) Bus.request(vertx, "test.silent", QueueLookup.byId("a", "b"), 100)
        .transform(ar -> Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, inDoubt.code());
  }

  @Test
  void publishedAddressesArePerQueue() {
    assertEquals("ferry.queue.abc.published", Addresses.published("abc"));
  }
}

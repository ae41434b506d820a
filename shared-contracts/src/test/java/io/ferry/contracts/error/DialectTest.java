package io.ferry.contracts.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DialectTest {

  private final FerryException notFound = new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue not found");

  @Test
  void cloudflareEnvelope() {
    assertEquals(new JsonObject()
            .put("success", false)
            .put("errors", new JsonArray().add(new JsonObject().put("code", 10104).put("message", "queue not found")))
            .put("messages", new JsonArray())
            .put("result", (Object) null),
        Dialect.CLOUDFLARE.errorBody(notFound));
  }

  @Test
  void discueProblemDocumentReportsDuplicatesAs422() {
    assertEquals(new JsonObject().put("title", "Not Found").put("status", 404).put("detail", "queue not found"),
        Dialect.DISCUE.errorBody(notFound));
    FerryException taken = new FerryException(ErrorCode.NAME_TAKEN, "name taken");
    assertEquals(422, Dialect.DISCUE.status(ErrorCode.NAME_TAKEN));
    assertEquals("Unprocessable Entity", Dialect.DISCUE.errorBody(taken).getString("title"));
    assertEquals(409, Dialect.CLOUDFLARE.status(ErrorCode.NAME_TAKEN));
  }

  @Test
  void sonyaShape() {
    assertEquals(new JsonObject().put("success", false).put("code", "queue_not_found").put("message", "queue not found"),
        Dialect.SONYA.errorBody(notFound));
  }

  @Test
  void anOutcomeUnknownIsA504InEveryDialect() {
    FerryException inDoubt = new FerryException(ErrorCode.OUTCOME_UNKNOWN, "may or may not have been applied");
    assertEquals(new JsonObject()
            .put("success", false)
            .put("errors", new JsonArray().add(new JsonObject().put("code", 11016)
                .put("message", "may or may not have been applied")))
            .put("messages", new JsonArray())
            .put("result", (Object) null),
        Dialect.CLOUDFLARE.errorBody(inDoubt));
    assertEquals(new JsonObject().put("title", "Gateway Timeout").put("status", 504)
            .put("detail", "may or may not have been applied"),
        Dialect.DISCUE.errorBody(inDoubt));
    assertEquals(new JsonObject().put("success", false).put("code", "outcome_unknown")
            .put("message", "may or may not have been applied"),
        Dialect.SONYA.errorBody(inDoubt));
    for (Dialect dialect : Dialect.values()) {
      assertEquals(504, dialect.status(ErrorCode.OUTCOME_UNKNOWN), dialect.name());
    }
    assertEquals(false, ErrorCode.OUTCOME_UNKNOWN.retryLater(), "it may have been applied: no blind retry");
  }

  @Test
  void dialectFollowsThePathPrefix() {
    assertEquals(Dialect.CLOUDFLARE, Dialect.forPath("/client/v4/accounts/x/queues"));
    assertEquals(Dialect.CLOUDFLARE, Dialect.forPath("/accounts/x/queues"));
    assertEquals(Dialect.DISCUE, Dialect.forPath("/v1/queues"));
    assertEquals(Dialect.SONYA, Dialect.forPath("/queue/send/q"));
    assertEquals(Dialect.FERRY, Dialect.forPath("/queues"));
    assertEquals(Dialect.FERRY, Dialect.forPath("/v10"));
  }

  @Test
  void wireIdsAreUniqueAndRoundTrip() {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(true, seen.add(code.wireId()), code.name());
      assertEquals(code, ErrorCode.fromWireId(code.wireId()));
    }
  }

  @Test
  void ferrysOwnCloudflareCodesAreUniqueAndEveryCodeIsInTheDocumentedTable() throws Exception {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    String table = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "errors.md"));
    for (ErrorCode code : ErrorCode.values()) {
      if (code.cloudflareCode() >= 11000 && code.cloudflareCode() < 12000) {
        assertEquals(true, seen.add(code.cloudflareCode()), code.name());
      }
      assertEquals(true, table.contains("| " + code.name() + " | " + code.httpStatus() + " | "
          + code.cloudflareCode()), code.name() + " in docs/errors.md");
    }
  }
}

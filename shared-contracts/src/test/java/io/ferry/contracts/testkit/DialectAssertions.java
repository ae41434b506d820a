package io.ferry.contracts.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Set;

/**
 * Assertions on error responses, derived from {@link Dialect} itself: the expected response is what the
 * dialect renders for the error code, so a test cannot drift from the format the services write. Every
 * field must match except the human-readable text, which must contain the expected fragment.
 */
public final class DialectAssertions {

  // Where each dialect puts the human-readable text; the expectation carries a marker there.
  private static final Set<String> TEXT_FIELDS = Set.of("message", "detail");
  private static final String TEXT = "\u0000text";

  private DialectAssertions() {
  }

  /** {@code response} is {@code code} rendered in {@code dialect}, whatever the message says. */
  public static void assertError(HttpResponse<Buffer> response, Dialect dialect, ErrorCode code) {
    assertError(response, dialect, code, "");
  }

  /** {@code response} is {@code code} rendered in {@code dialect}, with a message containing {@code inMessage}. */
  public static void assertError(HttpResponse<Buffer> response, Dialect dialect, ErrorCode code,
      String inMessage) {
    assertError(response.statusCode(), response.getHeader("Content-Type"), response.bodyAsString(), dialect, code,
        inMessage);
    assertRetryAfter(response.getHeader("Retry-After"), code, response.bodyAsString());
  }

  /**
   * {@code retryAfter} (the response's header, or {@code null}) is what an error of {@code code} carries: the
   * seconds of {@link ErrorCode#RETRY_AFTER_SECONDS} when a client should retry it, else nothing.
   */
  public static void assertRetryAfter(String retryAfter, ErrorCode code, String body) {
    assertEquals(code.retryLater() ? Integer.toString(ErrorCode.RETRY_AFTER_SECONDS) : null, retryAfter,
        "Retry-After of " + code + ": " + body);
  }

  /** The same for a response read by any client: its status, Content-Type header and body text. */
  public static void assertError(int status, String contentType, String body, Dialect dialect, ErrorCode code,
      String inMessage) {
    assertEquals(dialect.status(code), status, body);
    assertNotNull(contentType, "no Content-Type on " + body);
    assertTrue(contentType.startsWith(contentType(dialect)), contentType + " for " + dialect);
    JsonObject actual = new JsonObject(body);
    JsonObject expected = dialect.errorBody(new FerryException(code, TEXT));
    assertMatches(expected, actual, inMessage, "", body);
  }

  /** The same for a raw HTTP/1.x answer as read off a socket: status line, headers, blank line, body. */
  public static void assertRawError(String reply, Dialect dialect, ErrorCode code, String inMessage) {
    int headEnd = reply.indexOf("\r\n\r\n");
    assertTrue(reply.startsWith("HTTP/1.") && headEnd > 0, "not an HTTP answer: " + reply);
    String[] head = reply.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(head[0].split(" ")[1]);
    String contentType = null;
    String retryAfter = null;
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      String name = colon > 0 ? head[i].substring(0, colon).trim() : "";
      if (name.equalsIgnoreCase("Content-Type")) {
        contentType = head[i].substring(colon + 1).trim();
      } else if (name.equalsIgnoreCase("Retry-After")) {
        retryAfter = head[i].substring(colon + 1).trim();
      }
    }
    assertError(status, contentType, reply.substring(headEnd + 4), dialect, code, inMessage);
    assertRetryAfter(retryAfter, code, reply);
  }

  /** The same where the client exposes no headers (a refused WebSocket upgrade): status and body only. */
  public static void assertErrorBody(int status, JsonObject body, Dialect dialect, ErrorCode code,
      String inMessage) {
    assertNotNull(body, "no error body");
    assertEquals(dialect.status(code), status, body.encode());
    assertMatches(dialect.errorBody(new FerryException(code, TEXT)), body, inMessage, "", body.encode());
  }

  /** {@code response} is exactly {@code error} rendered in {@code dialect}, message included. */
  public static void assertExactError(HttpResponse<Buffer> response, Dialect dialect, FerryException error) {
    assertEquals(dialect.status(error.code()), response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith(contentType(dialect)),
        response.getHeader("Content-Type") + " for " + dialect);
    assertEquals(dialect.errorBody(error), response.bodyAsJsonObject());
    assertRetryAfter(response.getHeader("Retry-After"), error.code(), response.bodyAsString());
  }

  /** The media type the services write {@code dialect}'s errors with. */
  public static String contentType(Dialect dialect) {
    return dialect == Dialect.DISCUE ? "application/problem+json" : "application/json";
  }

  private static void assertMatches(Object expected, Object actual, String inMessage, String path, String body) {
    if (expected instanceof JsonObject object) {
      assertTrue(actual instanceof JsonObject, path + " is not an object in " + body);
      JsonObject got = (JsonObject) actual;
      assertEquals(object.fieldNames(), got.fieldNames(), "fields of " + path + " in " + body);
      for (String field : object.fieldNames()) {
        Object value = object.getValue(field);
        if (TEXT.equals(value) && TEXT_FIELDS.contains(field)) {
          String text = got.getString(field);
          assertNotNull(text, path + "." + field + " in " + body);
          assertTrue(text.contains(inMessage), path + "." + field + " lacks \"" + inMessage + "\": " + body);
        } else {
          assertMatches(value, got.getValue(field), inMessage, path + "." + field, body);
        }
      }
    } else if (expected instanceof JsonArray array) {
      assertTrue(actual instanceof JsonArray, path + " is not an array in " + body);
      JsonArray got = (JsonArray) actual;
      assertEquals(array.size(), got.size(), "length of " + path + " in " + body);
      for (int i = 0; i < array.size(); i++) {
        assertMatches(array.getValue(i), got.getValue(i), inMessage, path + "[" + i + "]", body);
      }
    } else if (expected instanceof Number number) {
      assertTrue(actual instanceof Number, path + " is not a number in " + body);
      assertEquals(number.longValue(), ((Number) actual).longValue(), path + " in " + body);
    } else {
      assertEquals(expected, actual, path + " in " + body);
    }
  }
}

package io.ferry.contracts.runtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Writes success responses in each dialect's format, as {@link DialectFailureHandler} writes errors: the one
 * place that knows the Cloudflare envelope and how {@code ?pretty=true} is honoured.
 */
public final class DialectResponses {

  private static final Buffer EMPTY_ARRAY = Buffer.buffer("[]");
  // The envelope's fixed part, as JsonObject.toBuffer writes it: only the result is encoded per response.
  private static final byte[] ENVELOPE_HEAD =
      "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":".getBytes(StandardCharsets.US_ASCII);

  private DialectResponses() {
  }

  /** A JSON body with {@code status}; indented when the request asks {@code ?pretty=true} (any case). */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(encode(ctx.request(), body));
  }

  /** A JSON array body with {@code status}. */
  public static void json(RoutingContext ctx, int status, JsonArray body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.isEmpty() ? EMPTY_ARRAY : pretty(ctx.request())
            ? Buffer.buffer(body.encodePrettily()) : body.toBuffer());
  }

  /** 200 with {@code result} in Cloudflare's {@code {success, errors, messages, result}} envelope. */
  public static void cloudflare(RoutingContext ctx, Object result) {
    if (pretty(ctx.request())) {
      json(ctx, 200, cloudflareEnvelope(result));
      return;
    }
    Buffer encoded = Json.encodeToBuffer(result);
    ctx.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(ENVELOPE_HEAD.length + encoded.length() + 1)
            .appendBytes(ENVELOPE_HEAD).appendBuffer(encoded).appendByte((byte) '}'));
  }

  /**
   * 200 with {@code result}, already encoded as compact JSON by the caller, in Cloudflare's envelope; for
   * {@code ?pretty=true} it is decoded and indented like any other result.
   */
  public static void cloudflareEncoded(RoutingContext ctx, Buffer result) {
    if (pretty(ctx.request())) {
      json(ctx, 200, cloudflareEnvelope(Json.decodeValue(result)));
      return;
    }
    ctx.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(ENVELOPE_HEAD.length + result.length() + 1)
            .appendBytes(ENVELOPE_HEAD).appendBuffer(result).appendByte((byte) '}'));
  }

  /**
   * 200 with one page of {@code items} and its {@code result_info}. The SDKs' page iterators ask for page + 1
   * until a page comes back empty, so pages past the end are empty, not errors.
   */
  public static void cloudflarePage(RoutingContext ctx, JsonArray items, int page, int perPage, int totalCount) {
    json(ctx, 200, cloudflareEnvelope(items).put("result_info", new JsonObject()
        .put("page", page)
        .put("per_page", perPage)
        .put("count", items.size())
        .put("total_count", totalCount)
        .put("total_pages", (int) ((totalCount + (long) perPage - 1) / perPage))));
  }

  /** Cloudflare's success envelope around {@code result}. */
  public static JsonObject cloudflareEnvelope(Object result) {
    return new JsonObject()
        .put("success", true)
        .put("errors", new JsonArray())
        .put("messages", new JsonArray())
        .put("result", result);
  }

  /** A discue resource or collection document. */
  public static void discue(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body);
  }

  /** A Sonya answer ({@code {"success": true, ...}} and the like). */
  public static void sonya(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body);
  }

  static Buffer encode(HttpServerRequest request, JsonObject body) {
    return pretty(request) ? Buffer.buffer(body.encodePrettily()) : body.toBuffer();
  }

  // A query that cannot be read asks for nothing.
  static boolean pretty(HttpServerRequest request) {
    try {
      return request.query() != null && "true".equalsIgnoreCase(request.getParam("pretty"));
    } catch (RuntimeException unreadableQuery) {
      return false;
    }
  }
}

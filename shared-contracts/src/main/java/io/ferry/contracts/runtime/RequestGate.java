package io.ferry.contracts.runtime;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/**
 * What the HTTP front checks or adjusts before a request reaches the router: the things Vert.x would
 * otherwise fail on with a 500 (a URI that is not validly percent-encoded, a JSON body labelled as a form)
 * or answer with an empty body (a request that is not valid HTTP). Each becomes a 4xx in the dialect's format.
 */
final class RequestGate {

  private RequestGate() {
  }

  /**
   * Why the path or query cannot be decoded (a {@code %} without two hex digits after it), or {@code null}.
   * Vert.x decodes both lazily, in route matching and in {@code getParam}, and reports a bad escape as a 500.
   */
  static FerryException uriProblem(HttpServerRequest request) {
    String uri = request.uri();
    int bad = badEscape(uri);
    if (bad < 0) {
      return null;
    }
    int query = uri.indexOf('?');
    return new FerryException(ErrorCode.INVALID_FIELD, "the request " + (query >= 0 && bad > query
        ? "query string" : "path") + " has a '%' that is not followed by two hexadecimal digits");
  }

  /**
   * Why the request's Host header is unacceptable, or {@code null}: HTTP/1.1 requires exactly one (RFC 9112
   * section 3.2), and Vert.x would otherwise fail the request with a 500 while routing it.
   */
  static FerryException hostProblem(HttpServerRequest request) {
    int hosts = request.headers().getAll(HttpHeaders.HOST).size();
    if (hosts > 1) {
      return new FerryException(ErrorCode.INVALID_FIELD, "the request has more than one Host header", "Host");
    }
    if (hosts == 0 && request.version() == HttpVersion.HTTP_1_1) {
      return new FerryException(ErrorCode.INVALID_FIELD, "an HTTP/1.1 request must have a Host header", "Host");
    }
    return null;
  }

  /** Answers {@code error} and closes the connection, whose next bytes may not be a request Ferry can trust. */
  static void answerAndClose(HttpServerRequest request, FerryException error) {
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    DialectFailureHandler.respond(request, error).onComplete(done -> request.connection().close());
  }

  /** The index of the first '%' without two hex digits after it, or -1 (the rule Netty and Vert.x decode by). */
  static int badEscape(String text) {
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
      if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /**
   * Every Ferry body is JSON whatever its label (curl's {@code -d} says form-urlencoded). Relabels form
   * bodies as opaque bytes so that the body handler keeps them as they are instead of running the form
   * decoder, which fails on a '%' in the JSON and swallows multipart bodies.
   */
  static void treatFormBodiesAsBytes(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.contains("application/x-www-form-urlencoded") || lower.contains("multipart/")) {
      request.headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    }
  }

  /**
   * Answers a request that is not valid HTTP (too long a request line or header, a malformed line) and
   * closes the connection, since what follows on it cannot be framed.
   */
  static void answerInvalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    FerryException error;
    if (cause instanceof TooLongFrameException && detail.startsWith("An HTTP line is larger than")) {
      error = new FerryException(ErrorCode.URI_TOO_LONG, "the request line is too long: " + detail);
    } else if (cause instanceof TooLongFrameException && detail.startsWith("HTTP header is larger than")) {
      error = new FerryException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large: " + detail);
    } else {
      error = new FerryException(ErrorCode.INVALID_FIELD, "the request is not valid HTTP/1.1"
          + (detail.isEmpty() ? "" : ": " + detail));
    }
    answerAndClose(request, error);
  }
}

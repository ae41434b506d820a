package io.ferry.contracts.runtime;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * discue's content negotiation, before any discue route: 406 when {@code Accept} admits no JSON (every discue
 * answer, errors included, is JSON), 415 when a request body is declared as anything but JSON. A body without
 * a {@code Content-Type} is read as JSON, as before.
 */
final class DiscueMediaTypes implements Handler<RoutingContext> {

  private static final Set<String> PRODUCIBLE = Set.of("*/*", "application/*", "application/json",
      "application/problem+json");

  @Override
  public void handle(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (accept != null && !acceptsJson(accept)) {
      ctx.fail(new FerryException(ErrorCode.NOT_ACCEPTABLE,
          "Accept: the answer can only be application/json (or application/problem+json for errors)", "Accept"));
      return;
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    boolean hasBody = ctx.body() != null && ctx.body().length() > 0;
    if (hasBody && contentType != null && !isJson(mediaType(contentType))) {
      ctx.fail(new FerryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type: the request body must be application/json", "Content-Type"));
      return;
    }
    ctx.next();
  }

  static boolean acceptsJson(String accept) {
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if ((type.isEmpty() || PRODUCIBLE.contains(type)) && !refused(parts)) {
        return true;
      }
    }
    return false;
  }

  // A range with q=0 says "not this one".
  private static boolean refused(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
      if (param.startsWith("q=")) {
        try {
          return Double.parseDouble(param.substring(2)) <= 0;
        } catch (NumberFormatException unreadable) {
          return false;
        }
      }
    }
    return false;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || (mediaType.startsWith("application/")
        && mediaType.endsWith("+json"));
  }
}

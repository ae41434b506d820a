package io.ferry.contracts.runtime;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure of a route, and every unmatched route or method, in the error format of the
 * dialect whose prefix the path falls under. Nothing else writes error responses.
 */
public final class DialectFailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(DialectFailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // The client already has a response head (a 101 upgrade, a streamed answer): nothing can follow it.
      if (ctx.response().closed()) {
        LOG.debug("{} {} failed after its client left", ctx.request().method(), ctx.request().path(),
            ctx.failure());
      } else {
        LOG.warn("{} {} failed after its response began; resetting it", ctx.request().method(),
            ctx.request().path(), ctx.failure());
        ctx.response().reset();
      }
      return;
    }
    FerryException error = toDomainError(ctx.failure(), ctx.statusCode());
    if (error.code() == ErrorCode.INTERNAL && ClientFailures.isClientCaused(ctx.failure())) {
      // A malformed chunked body, a hang-up mid-upload: the client's doing, not worth a stack trace.
      ClientFailures.record("request-unreadable", ctx.request().remoteAddress(), ctx.failure());
      error = new FerryException(ErrorCode.INVALID_FIELD, "the request body is malformed or was cut off");
    } else if (error.code() == ErrorCode.INTERNAL) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    respond(ctx, error);
  }

  /**
   * Writes {@code error} in the dialect of the request's path, with {@code Retry-After} when its code is one a
   * client should retry ({@link ErrorCode#retryLater()}).
   */
  public static void respond(RoutingContext ctx, FerryException error) {
    respond(ctx.request(), error);
  }

  /** Writes {@code error} in the dialect of the request's path, also where no router is involved. */
  static Future<Void> respond(HttpServerRequest request, FerryException error) {
    if (request.response().headWritten()) {
      request.response().reset();
      return Future.succeededFuture();
    }
    Dialect dialect = Dialect.forPath(request.path());
    JsonObject body = dialect.errorBody(error);
    if (error.code().retryLater()) {
      request.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(ErrorCode.RETRY_AFTER_SECONDS));
    }
    return request.response()
        .setStatusCode(dialect.status(error.code()))
        .putHeader(HttpHeaders.CONTENT_TYPE, dialect == Dialect.DISCUE
            ? "application/problem+json" : "application/json")
        .end(DialectResponses.encode(request, body));
  }

  static FerryException toDomainError(Throwable failure, int status) {
    if (failure instanceof HttpException http) {
      return fromStatus(http.getStatusCode(), http.getPayload());
    }
    if (failure != null) {
      return FerryException.from(failure);
    }
    return fromStatus(status, null);
  }

  private static FerryException fromStatus(int status, String detail) {
    return switch (status) {
      case 400 -> new FerryException(ErrorCode.INVALID_FIELD, detail != null ? detail : "bad request");
      case 401 -> new FerryException(ErrorCode.UNAUTHENTICATED, "authentication required");
      case 403 -> new FerryException(ErrorCode.FORBIDDEN, "forbidden");
      case 404 -> new FerryException(ErrorCode.NOT_FOUND, "no such route");
      case 405 -> new FerryException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this route");
      case 413 -> new FerryException(ErrorCode.REQUEST_TOO_LARGE, "request body too large");
      case 414 -> new FerryException(ErrorCode.URI_TOO_LONG, "request URI too long");
      case 415 -> new FerryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request body must be application/json");
      case 431 -> new FerryException(ErrorCode.HEADERS_TOO_LARGE, "request headers too large");
      case 417 -> new FerryException(ErrorCode.INVALID_FIELD, "Expect: only 100-continue is supported", "Expect");
      case 503 -> new FerryException(ErrorCode.UNAVAILABLE, "service unavailable");
      // Any other refusal by Vert.x itself is still the client's request at fault, never a server error.
      default -> status >= 400 && status < 500
          ? new FerryException(ErrorCode.INVALID_FIELD, "the request was refused (HTTP " + status + ")")
          : new FerryException(ErrorCode.INTERNAL, "internal error");
    };
  }
}

package io.ferry.contracts.error;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The three wire dialects and how each renders a {@link FerryException}. This is the one place that maps
 * domain errors to wire formats; routers never build error bodies themselves.
 */
public enum Dialect {
  /** {@code {"success":false,"errors":[{"code","message"}],"messages":[],"result":null}}. */
  CLOUDFLARE {
    @Override
    public JsonObject errorBody(FerryException e) {
      return new JsonObject()
          .put("success", false)
          .put("errors", new JsonArray().add(new JsonObject()
              .put("code", e.code().cloudflareCode())
              .put("message", e.getMessage())))
          .put("messages", new JsonArray())
          .put("result", (Object) null);
    }
  },
  /** Problem document {@code {"title","status","detail"}}. discue reports duplicates as 422. */
  DISCUE {
    @Override
    public int status(ErrorCode code) {
      return code == ErrorCode.NAME_TAKEN ? 422 : code.httpStatus();
    }

    @Override
    public JsonObject errorBody(FerryException e) {
      int status = status(e.code());
      return new JsonObject()
          .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
          .put("status", status)
          .put("detail", e.getMessage());
    }
  },
  /** {@code {"success":false,"code":"queue_not_found","message":"..."}}. */
  SONYA {
    @Override
    public JsonObject errorBody(FerryException e) {
      return new JsonObject()
          .put("success", false)
          .put("code", e.code().slug())
          .put("message", e.getMessage());
    }
  },
  /** Ferry's own operational routes. */
  FERRY {
    @Override
    public JsonObject errorBody(FerryException e) {
      return new JsonObject().put("error", e.code().slug()).put("message", e.getMessage());
    }
  };

  public int status(ErrorCode code) {
    return code.httpStatus();
  }

  public abstract JsonObject errorBody(FerryException e);

  /** The dialect whose URL prefix the path falls under. */
  public static Dialect forPath(String path) {
    if (path == null) {
      return FERRY;
    }
    if (path.startsWith("/client/v4/") || path.equals("/client/v4") || path.startsWith("/accounts")) {
      return CLOUDFLARE;
    }
    if (path.startsWith("/v1/") || path.equals("/v1")) {
      return DISCUE;
    }
    if (path.startsWith("/queue/") || path.equals("/queue")) {
      return SONYA;
    }
    return FERRY;
  }
}

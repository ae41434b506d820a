package io.ferry.contracts.runtime.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client of a running Ferry's discue API; failures become {@link CliFailure}s with exit codes. */
final class FerryClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;
  private final String key;

  FerryClient(String url, String key) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.key = key;
  }

  Object get(String path) {
    return send("GET", path, null);
  }

  Object post(String path, Object body) {
    return send("POST", path, body);
  }

  /** Finds a queue by id or by name; exit code 3 when neither matches. */
  JsonObject queue(String idOrName) {
    for (Object each : array(get("/v1/queues"))) {
      JsonObject queue = (JsonObject) each;
      if (idOrName.equals(queue.getString("id")) || idOrName.equals(queue.getString("name"))) {
        return queue;
      }
    }
    throw new CliFailure(CliFailure.NOT_FOUND, "queue " + idOrName + " not found");
  }

  /** The list in a response: the body itself, or the first array field of its envelope ({@code data}, ...). */
  static JsonArray array(Object body) {
    if (body instanceof JsonArray array) {
      return array;
    }
    if (body instanceof JsonObject object) {
      for (String field : new String[] {"data", "result"}) {
        if (object.getValue(field) instanceof JsonArray array) {
          return array;
        }
      }
      for (var field : object) {
        if (field.getValue() instanceof JsonArray array) {
          return array;
        }
      }
    }
    return new JsonArray();
  }

  /** The resource in a response: the body, or its envelope's only object field ({@code data}, {@code queue}, ...). */
  static JsonObject object(Object body) {
    if (!(body instanceof JsonObject object)) {
      return new JsonObject();
    }
    for (String field : new String[] {"data", "result"}) {
      if (object.getValue(field) instanceof JsonObject inner) {
        return inner;
      }
    }
    JsonObject only = null;
    int objects = 0;
    for (var field : object) {
      if (field.getValue() instanceof JsonObject inner && !field.getKey().equals("_links")) {
        only = inner;
        objects++;
      }
    }
    return objects == 1 && !object.containsKey("id") ? only : object;
  }

  private Object send(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.encode(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null && !key.isEmpty()) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliFailure(CliFailure.FAILED, "cannot reach Ferry at " + url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(CliFailure.FAILED, "interrupted");
    }
    Object decoded = decode(response.body());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return decoded;
    }
    String message = status + " " + errorMessage(decoded, response.body());
    if (status == 401 || status == 403) {
      throw new CliFailure(CliFailure.UNAUTHORIZED, message);
    }
    throw new CliFailure(status == 404 ? CliFailure.NOT_FOUND : CliFailure.FAILED, message);
  }

  private static Object decode(String text) {
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  private static String errorMessage(Object decoded, String raw) {
    if (decoded instanceof JsonObject object) {
      for (String field : new String[] {"detail", "title", "message", "error"}) {
        if (object.getValue(field) instanceof String text) {
          return text;
        }
      }
      if (object.getValue("errors") instanceof JsonArray errors && !errors.isEmpty()
          && errors.getValue(0) instanceof JsonObject first && first.getValue("message") instanceof String text) {
        return text;
      }
    }
    return raw.length() > 200 ? raw.substring(0, 200) : raw;
  }
}

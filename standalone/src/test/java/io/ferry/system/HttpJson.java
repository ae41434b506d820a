package io.ferry.system;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON-over-HTTP client for the tests, on the JDK's own HttpClient, authenticating with a bearer key. */
final class HttpJson {

  /** A response: status and parsed body (JsonObject, JsonArray or null). */
  record Reply(int status, Object body) {

    JsonObject object() {
      return (JsonObject) body;
    }

    JsonArray array() {
      return (JsonArray) body;
    }

    /** The Cloudflare envelope's {@code result} as an object. */
    JsonObject result() {
      return object().getJsonObject("result");
    }

    @Override
    public String toString() {
      return status + " " + (body == null ? "" : Json.encode(body));
    }
  }

  // HTTP/1.1: the JDK client's default cleartext HTTP/2 upgrade (h2c) once left a request hanging in CI.
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;

  HttpJson(String token) {
    this.token = token;
  }

  HttpClient client() {
    return client;
  }

  Reply get(String url) throws Exception {
    return send("GET", url, null);
  }

  Reply post(String url, Object body) throws Exception {
    return send("POST", url, body);
  }

  Reply send(String method, String url, Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.encode(body)))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    Object parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
    return new Reply(response.statusCode(), parsed);
  }
}

package io.ferry.contracts.testkit;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP client for tests that holds every answer to the server's own OpenAPI document: each response must be
 * a documented status of a documented operation, with a documented content type and a body that validates
 * against the schema given for it. A mismatch fails the call with what differs.
 */
public final class ContractHttp {

  /** A response: status, content type and the body as text. */
  public record Reply(int status, String contentType, String text) {

    public JsonObject object() {
      return new JsonObject(text);
    }

    public JsonArray array() {
      return new JsonArray(text);
    }

    /** The Cloudflare envelope's {@code result} as an object. */
    public JsonObject result() {
      return object().getJsonObject("result");
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade is not what Ferry's clients use.
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final OpenApiContract contract;
  private final List<String> checked = new ArrayList<>();

  private ContractHttp(String base, OpenApiContract contract) {
    this.base = base;
    this.contract = contract;
  }

  /** A client for the server at {@code base} (e.g. {@code http://127.0.0.1:8080}), reading its /openapi.yaml. */
  public static ContractHttp of(String base) throws IOException, InterruptedException {
    HttpClient loader = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> yaml = loader.send(HttpRequest.newBuilder(URI.create(base + "/openapi.yaml")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (yaml.statusCode() != 200) {
      throw new AssertionError("GET /openapi.yaml answered " + yaml.statusCode());
    }
    return new ContractHttp(base, OpenApiContract.parse(yaml.body()));
  }

  public OpenApiContract contract() {
    return contract;
  }

  /** The responses checked so far, as {@code "METHOD /path -> status"}. */
  public List<String> checked() {
    return List.copyOf(checked);
  }

  public Reply get(String path, String token) {
    return send("GET", path, null, token, Map.of());
  }

  public Reply post(String path, Object body, String token) {
    return send("POST", path, body, token, Map.of());
  }

  /**
   * Opens a WebSocket on {@code path} with {@code token} as a bearer credential, and returns its first message
   * once it matches the frame schema the document gives for that route.
   */
  public String firstWebSocketFrame(String path, String token) {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket socket;
    try {
      socket = client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
          .buildAsync(URI.create(base.replaceFirst("^http", "ws") + path), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              text.append(data);
              if (last) {
                first.complete(text.toString());
              }
              webSocket.request(1);
              return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
              first.completeExceptionally(error);
            }
          }).get(10, TimeUnit.SECONDS);
      String frame = first.get(10, TimeUnit.SECONDS);
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      List<String> problems = contract.checkFrame(path, frame);
      if (!problems.isEmpty()) {
        throw new AssertionError("the frame does not match /openapi.yaml:\n  " + String.join("\n  ", problems)
            + "\n  frame: " + frame);
      }
      checked.add("GET " + URI.create(path).getRawPath() + " -> 101 frame");
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("WebSocket " + path + " interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("WebSocket " + path + " gave no frame", e);
    }
  }

  /**
   * Sends {@code body} (JSON-encoded unless it is a String, sent as is; null for none) with {@code token} as a
   * bearer credential (null for none), and checks the answer against the document.
   */
  public Reply send(String method, String path, Object body, String token, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : Json.encode(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(method + " " + path + " interrupted", e);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    Reply reply = new Reply(response.statusCode(), contentType, response.body());
    List<String> problems = contract.check(method, path, reply.status(), contentType, reply.text());
    if (!problems.isEmpty()) {
      throw new AssertionError("the answer does not match /openapi.yaml:\n  " + String.join("\n  ", problems)
          + "\n  body: " + reply.text());
    }
    checked.add(method + " " + URI.create(path).getRawPath() + " -> " + reply.status());
    return reply;
  }
}

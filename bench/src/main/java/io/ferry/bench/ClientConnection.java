package io.ferry.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One simulated client: its own keep-alive connection, one request at a time (closed loop). If the server
 * closes the connection the next request opens a new one, so an error does not end the client. A request not
 * answered within {@link #ANSWER_WITHIN_MS} fails, saying how far it got, and its connection is closed, so a
 * lost answer shows as an error of its row instead of stalling the whole scenario.
 */
final class ClientConnection implements LoadClient {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final long ANSWER_WITHIN_MS = 60_000;

  private final HttpClientAgent agent;
  private final HttpConnectOptions target;
  private final CharSequence authorization;
  private HttpClientConnection connection;
  private Context context;
  private volatile boolean closed;
  private long requests;

  private ClientConnection(HttpClientAgent agent, HttpConnectOptions target, String token) {
    this.agent = agent;
    this.target = target;
    this.authorization = token == null ? null : HttpHeaders.createOptimized("Bearer " + token);
  }

  static Future<ClientConnection> open(HttpClientAgent agent, Endpoint endpoint) {
    ClientConnection client = new ClientConnection(agent,
        new HttpConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()).setConnectTimeout(10_000),
        endpoint.token());
    return client.connect().map(client);
  }

  /** {@code count} clients of {@code endpoint}, connected. */
  static List<ClientConnection> openAll(HttpClientAgent agent, Endpoint endpoint, int count, Duration timeout)
      throws Exception {
    List<Future<ClientConnection>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opening.add(open(agent, endpoint));
    }
    Await.result(Future.all(opening), timeout);
    return opening.stream().map(Future::result).toList();
  }

  @Override
  public Context context() {
    return context;
  }

  Vertx vertx() {
    return context.owner();
  }

  @Override
  public long requests() {
    return requests;
  }

  /** POST with a JSON body; fails with {@link HttpStatusException} unless the answer is 2xx. */
  Future<Buffer> post(String path, Buffer body) {
    return exchange(HttpMethod.POST, path, body).map(reply -> reply.expectOk("POST " + path));
  }

  /** POST with extra headers (they replace the JSON content type when they name one); 2xx or a failure. */
  Future<Buffer> post(String path, Buffer body, MultiMap headers) {
    return exchange(HttpMethod.POST, path, body, headers).map(reply -> reply.expectOk("POST " + path));
  }

  /** GET; fails with {@link HttpStatusException} unless the answer is 2xx. */
  Future<Buffer> get(String path) {
    return exchange(HttpMethod.GET, path, null).map(reply -> reply.expectOk("GET " + path));
  }

  /** Any method; answers whatever status came back. */
  Future<Reply> exchange(HttpMethod method, String path, Buffer body) {
    return exchange(method, path, body, null);
  }

  private Future<Reply> exchange(HttpMethod method, String path, Buffer body, MultiMap headers) {
    Future<HttpClientConnection> ready = closed ? connect() : Future.succeededFuture(connection);
    String[] stage = {"connecting"};
    Promise<Reply> answered = Promise.promise();
    Vertx vertx = context != null ? context.owner() : null;
    long timer = vertx == null ? -1 : vertx.setTimer(ANSWER_WITHIN_MS, id -> {
      if (answered.tryFail(new TimeoutException(method + " " + path + ": no answer within " + ANSWER_WITHIN_MS
          + " ms, " + stage[0] + (closed ? " (the connection had closed)" : "")))) {
        close();
      }
    });
    exchange(ready, method, path, body, headers, stage).onComplete(answered::tryComplete, answered::tryFail);
    return timer < 0 ? answered.future() : answered.future().andThen(done -> vertx.cancelTimer(timer));
  }

  private Future<Reply> exchange(Future<HttpClientConnection> ready, HttpMethod method, String path, Buffer body,
      MultiMap headers, String[] stage) {
    return ready.compose(conn -> {
      stage[0] = "waiting for the connection to take the request";
      requests++;
      RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
      if (authorization != null) {
        options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
      }
      if (body != null && (headers == null || !headers.contains(HttpHeaders.CONTENT_TYPE))) {
        options.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
      }
      if (headers != null) {
        headers.forEach(header -> options.putHeader(header.getKey(), header.getValue()));
      }
      return conn.request(options)
          .compose(request -> {
            stage[0] = "request sent, waiting for the response";
            return body == null ? request.send() : request.send(body);
          })
          .compose(response -> {
            stage[0] = "response " + response.statusCode() + " begun, waiting for its body";
            return response.body().map(bytes -> new Reply(response.statusCode(), bytes));
          });
    });
  }

  Future<Void> close() {
    closed = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private Future<HttpClientConnection> connect() {
    return agent.connect(target).map(conn -> {
      connection = conn;
      context = Vertx.currentContext();
      closed = false;
      conn.closeHandler(v -> closed = true);
      return conn;
    });
  }

  /** Status and raw body of one response. */
  record Reply(int status, Buffer body) {

    Buffer expectOk(String request) {
      if (status < 200 || status > 299) {
        throw new HttpStatusException(request, status, body.toString());
      }
      return body;
    }
  }
}

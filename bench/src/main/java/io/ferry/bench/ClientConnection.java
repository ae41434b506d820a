package io.ferry.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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

/**
 * One simulated client: its own keep-alive connection, one request at a time (closed loop). If the server
 * closes the connection the next request opens a new one, so an error does not end the client.
 */
final class ClientConnection implements LoadClient {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

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
    return ready.compose(conn -> {
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
          .compose(request -> body == null ? request.send() : request.send(body))
          .compose(response -> response.body().map(bytes -> new Reply(response.statusCode(), bytes)));
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

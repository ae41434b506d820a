package io.ferry.system;

import static io.ferry.contracts.testkit.DialectAssertions.assertErrorBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sonya resume at system level: while a producer sends at a steady rate, WebSocket clients drop their
 * connection at random points and resume with {@code ?sequence=<last received + 1>}; each must end with
 * every message exactly once, in order. Also: a generate_jwt token reads its own id and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SonyaResumeIT {

  private static final String KEY = "fry_sonya-resume-test-key-0123456789abcdef";
  private static final String SERVICE_TOKEN = "sonya-resume-service-token";
  private static final int MESSAGES = 3_000;
  private static final int RATE_PER_SECOND = 150;
  private static final int CLIENTS = 4;
  private static final int MAX_FRAMES_PER_CONNECTION = 30;
  private static final Duration DEADLINE = Duration.ofSeconds(75);

  @TempDir
  static Path dir;
  private FerryProcess ferry;
  private final HttpJson http = new HttpJson(KEY);

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = new HashMap<>(storageEnv());
    env.put("FERRY_AUTH_BOOTSTRAP_KEY", KEY);
    env.put("FERRY_AUTH_SONYA_SERVICE_TOKEN", SERVICE_TOKEN);
    ferry = FerryProcess.start("sonya-resume", "ferry.standalone.jar", dir.resolve("main"), Ports.free(), env)
        .awaitReady(StandaloneIT.START);
  }

  /** The FERRY_STORAGE_* environment: none here, the default embedded storage. */
  Map<String, String> storageEnv() {
    return Map.of();
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
  }

  @Test
  void clientsThatReconnectAtRandomGetEveryMessageExactlyOnceInOrder() throws Exception {
    assertEquals(201, http.post(ferry.baseUrl() + "/queue/create/resume", null).status());
    AtomicLong lastSent = new AtomicLong();
    CompletableFuture<Void> produced = new CompletableFuture<>();
    List<ResumingClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long seed = System.nanoTime();
    System.out.printf("SonyaResumeIT: random seed %d%n", seed);
    for (int i = 0; i < CLIENTS; i++) {
      ResumingClient client = new ResumingClient(i, new Random(seed + i), lastSent, produced);
      clients.add(client);
      Thread thread = new Thread(client, "resume-client-" + i);
      threads.add(thread);
      thread.start();
    }
    Thread producer = new Thread(() -> produce(lastSent, produced), "producer");
    producer.start();

    long deadline = System.nanoTime() + DEADLINE.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    producer.join(1_000);
    clients.forEach(ResumingClient::stop);
    produced.get(1, TimeUnit.SECONDS);
    assertEquals(MESSAGES, lastSent.get(), "the queue's sequences are 1.." + MESSAGES);

    int reconnects = 0;
    int gaps = 0;
    int duplicates = 0;
    int reorders = 0;
    for (ResumingClient client : clients) {
      int clientGaps = client.gaps(MESSAGES);
      System.out.printf("SonyaResumeIT client %d: %d messages, %d distinct, %d reconnects, %d gaps, "
              + "%d duplicates, %d reorders%n", client.index, client.received.size(), client.seen.size(),
          client.reconnects, clientGaps, client.duplicates, client.reorders);
      reconnects += client.reconnects;
      gaps += clientGaps;
      duplicates += client.duplicates;
      reorders += client.reorders;
    }
    System.out.printf("SonyaResumeIT: %d messages x %d clients, %d reconnects in total: %d gaps, "
        + "%d duplicates, %d reorders%n", MESSAGES, CLIENTS, reconnects, gaps, duplicates, reorders);
    assertEquals(0, gaps, "gaps");
    assertEquals(0, duplicates, "duplicates");
    assertEquals(0, reorders, "reorders");
    for (ResumingClient client : clients) {
      assertEquals(MESSAGES, client.received.size(), "client " + client.index + " got every message");
      assertTrue(client.failure == null, "client " + client.index + " failed: " + client.failure);
    }
    assertTrue(reconnects >= 200, "hundreds of reconnects, got " + reconnects);
  }

  @Test
  void generatedTokenReadsItsIdAndIsRefusedAnotherId() throws Exception {
    HttpJson service = new HttpJson(SERVICE_TOKEN);
    assertEquals(201, service.post(ferry.baseUrl() + "/queue/create/jwt-check", null).status());
    for (String id : List.of("alice", "bob", "alice")) {
      HttpJson.Reply sent = service.post(ferry.baseUrl() + "/queue/send/jwt-check",
          new JsonObject().put("id", id).put("payload", new JsonObject().put("for", id)));
      assertEquals(200, sent.status(), sent::toString);
    }
    HttpJson.Reply issued = service.post(ferry.baseUrl() + "/queue/generate_jwt/jwt-check/alice", null);
    assertEquals(200, issued.status(), issued::toString);
    String token = issued.object().getString("token");
    assertTrue(issued.object().getLong("expiration") > System.currentTimeMillis() / 1000);

    String ws = ferry.baseUrl().replace("http://", "ws://") + "/queue/listen/ws/jwt-check/";
    try (LiveSubscriber alice = LiveSubscriber.connect(http.client(), ws + "alice?sequence=first&access_token=" + token)) {
      JsonObject first = alice.next(Duration.ofSeconds(10));
      assertEquals("alice", first.getString("id"));
      assertEquals(1, first.getLong("sequence"));
      assertEquals(3, alice.next(Duration.ofSeconds(10)).getLong("sequence"));
    }
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> LiveSubscriber.connect(http.client(), ws + "bob?access_token=" + token));
    assertTrue(refused.getCause() instanceof WebSocketHandshakeException, String.valueOf(refused.getCause()));
    assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

    HttpJson bearer = new HttpJson(token);
    HttpJson.Reply polled = bearer.get(ferry.baseUrl() + "/queue/listen/longpoll/jwt-check/alice?sequence=first&timeout_ms=0");
    assertEquals(200, polled.status(), polled::toString);
    JsonArray frames = polled.array();
    assertEquals(2, frames.size(), polled::toString);
    assertEquals(new JsonObject().put("for", "alice"), frames.getJsonObject(0).getJsonObject("payload"));
    HttpJson.Reply other = bearer.get(ferry.baseUrl() + "/queue/listen/longpoll/jwt-check/bob?timeout_ms=0");
    assertErrorBody(other.status(), other.object(), Dialect.SONYA, ErrorCode.FORBIDDEN, "");
    assertEquals(403, bearer.get(ferry.baseUrl() + "/queue/listen/longpoll/jwt-check?timeout_ms=0").status(),
        "a per-id token cannot read the whole queue");
  }

  private void produce(AtomicLong lastSent, CompletableFuture<Void> produced) {
    try {
      long started = System.nanoTime();
      long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
      for (int i = 1; i <= MESSAGES; i++) {
        long due = started + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        HttpJson.Reply sent = http.post(ferry.baseUrl() + "/queue/send/resume",
            new JsonObject().put("id", "m-" + i).put("payload", new JsonObject().put("n", i)));
        if (sent.status() != 200) {
          throw new AssertionError("send " + i + ": " + sent);
        }
        long sequence = sent.object().getLong("sequence");
        if (sequence != lastSent.get() + 1) {
          throw new AssertionError("send " + i + " got sequence " + sequence + " after " + lastSent.get());
        }
        lastSent.set(sequence);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("SonyaResumeIT producer: %d messages in %.1f s (%.0f/s)%n", MESSAGES, seconds,
          MESSAGES / seconds);
      produced.complete(null);
    } catch (Throwable e) {
      produced.completeExceptionally(e);
    }
  }

  /**
   * One subscriber that keeps dropping its connection — after a random number of frames, sometimes
   * abruptly (TCP abort), sometimes with a close handshake — and resumes from the last sequence it received.
   */
  private final class ResumingClient implements Runnable {

    private static final Object CLOSED = new Object();

    final int index;
    final List<Long> received = new ArrayList<>();
    final Set<Long> seen = new HashSet<>();
    int reconnects;
    int duplicates;
    int reorders;
    volatile Throwable failure;
    private volatile boolean stopped;
    private final Random random;
    private final AtomicLong lastSent;
    private final CompletableFuture<Void> produced;
    private long last;

    ResumingClient(int index, Random random, AtomicLong lastSent, CompletableFuture<Void> produced) {
      this.index = index;
      this.random = random;
      this.lastSent = lastSent;
      this.produced = produced;
    }

    void stop() {
      stopped = true;
    }

    int gaps(long total) {
      int missing = 0;
      for (long sequence = 1; sequence <= total; sequence++) {
        if (!seen.contains(sequence)) {
          missing++;
        }
      }
      return missing;
    }

    @Override
    public void run() {
      try {
        boolean first = true;
        while (!stopped && !caughtUp()) {
          if (!first) {
            reconnects++;
            Thread.sleep(random.nextInt(40));
          }
          first = false;
          readOneConnection();
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    private boolean caughtUp() {
      return produced.isDone() && last >= lastSent.get();
    }

    private void readOneConnection() throws Exception {
      LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
      WebSocket socket = http.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create(ferry.baseUrl().replace("http://", "ws://") + "/queue/listen/ws/resume?sequence="
              + (last + 1) + "&access_token=" + KEY), new Inbox(inbox))
          .get(15, TimeUnit.SECONDS);
      int quota = 1 + random.nextInt(MAX_FRAMES_PER_CONNECTION);
      try {
        for (int taken = 0; taken < quota && !stopped; ) {
          Object item = inbox.poll(100, TimeUnit.MILLISECONDS);
          if (item == CLOSED) {
            return;
          }
          if (item == null) {
            if (caughtUp()) {
              return;
            }
            continue;
          }
          record(((JsonObject) item).getLong("sequence"));
          taken++;
        }
      } finally {
        // Whatever else is already on its way on this connection is dropped: the next one resumes after `last`.
        if (random.nextBoolean()) {
          socket.abort();
        } else {
          socket.sendClose(WebSocket.NORMAL_CLOSURE, "resuming").exceptionally(e -> null);
        }
      }
    }

    private void record(long sequence) {
      if (!seen.add(sequence)) {
        duplicates++;
      } else if (sequence < last) {
        reorders++;
      }
      received.add(sequence);
      last = Math.max(last, sequence);
    }
  }

  /** Collects one connection's frames (and its end) for the client thread. */
  private static final class Inbox implements WebSocket.Listener {

    private final LinkedBlockingQueue<Object> inbox;
    private final StringBuilder partial = new StringBuilder();

    Inbox(LinkedBlockingQueue<Object> inbox) {
      this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        inbox.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      inbox.add(ResumingClient.CLOSED);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      inbox.add(ResumingClient.CLOSED);
    }
  }
}

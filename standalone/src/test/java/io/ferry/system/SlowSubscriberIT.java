package io.ferry.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscribers that replay a queue's history and never read, while large messages keep arriving, on a
 * 256 MB heap: together they could hold more than the gateway's total (25 % of the heap), each more than
 * its own share; the gateway closes each with 1013, the heap stays bounded, and the process and every other
 * client go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowSubscriberIT {

  private static final String KEY = "fry_slow-subscriber-test-key-0123456789abcdef";
  private static final int MESSAGE_CHARS = 100_000;
  // Enough history that replay cannot finish into the socket buffers, so the subscriber stays in replay.
  private static final int HISTORY = 100;
  // 120 MB of live frames: with frames held by count, as before, the heap after GC exceeded the bound below.
  private static final int LIVE = 1_200;
  private static final long HEAP_AFTER_GC_BOUND = 96L * 1024 * 1024;
  private static final int PRODUCERS = 4;
  private static final int SLOW_SUBSCRIBERS = 3;

  @TempDir
  static Path dir;
  private FerryProcess ferry;
  private final HttpJson http = new HttpJson(KEY);

  @BeforeAll
  void start() throws Exception {
    ferry = FerryProcess.start("slow-subscriber", "ferry.standalone.jar", dir.resolve("main"), Ports.free(),
        // Pings would close the never-reading socket too; pushed far out, only the byte bound can.
        Map.of("FERRY_AUTH_BOOTSTRAP_KEY", KEY, "FERRY_GATEWAY_PING_INTERVAL_MS", "600000"),
        List.of("-Xmx256m"))
        .awaitReady(StandaloneIT.START);
  }

  @AfterAll
  void stop() throws Exception {
    ferry.close();
  }

  @Test
  void neverReadingReplaySubscriberIsClosedWith1013AndEveryoneElseGoesOn() throws Exception {
    assertEquals(201, http.post(ferry.baseUrl() + "/queue/create/firehose", null).status());
    assertEquals(201, http.post(ferry.baseUrl() + "/queue/create/calm", null).status());
    push("firehose", 0, HISTORY);
    String ws = ferry.baseUrl().replace("http://", "ws://") + "/queue/listen/ws/";

    List<NeverReadingSubscriber> slow = new ArrayList<>();
    try (LiveSubscriber calm = LiveSubscriber.connect(http.client(), ws + "calm?access_token=" + KEY)) {
      for (int i = 0; i < SLOW_SUBSCRIBERS; i++) {
        slow.add(NeverReadingSubscriber.open(ferry.httpPort(), "/queue/listen/ws/firehose?sequence=first", KEY));
      }
      long started = System.nanoTime();
      push("firehose", HISTORY, LIVE);
      System.out.printf("SlowSubscriberIT: %d messages of %d chars pushed in %.1f s%n", LIVE, MESSAGE_CHARS,
          (System.nanoTime() - started) / 1e9);

      await().atMost(Duration.ofSeconds(30))
          .until(() -> metric("ferry_gateway_sockets_fell_behind_total") >= SLOW_SUBSCRIBERS);
      await().atMost(Duration.ofSeconds(30)).until(() -> metric("ferry_gateway_held_bytes") == 0);
      // They still read nothing: their connections must end all the same (after the close grace), with whatever
      // was queued for them, not wait for a close frame nobody takes. Only the calm subscriber's stays.
      await().atMost(Duration.ofSeconds(30))
          .until(() -> metric("vertx_http_server_active_ws_connections") == 1);
      long heap = heapUsedAfterGc();
      System.out.printf("SlowSubscriberIT: heap after GC %d MB%n", heap >> 20);
      assertTrue(heap < HEAP_AFTER_GC_BOUND, "heap after GC " + (heap >> 20) + " MB");

      assertTrue(ferry.isAlive(), "the process is up");
      assertTrue(!ferry.output().contains("OutOfMemoryError"), "no OutOfMemoryError:\n" + ferry.output());
      assertEquals(200, status("/health/ready"));
      HttpJson.Reply sent = http.post(ferry.baseUrl() + "/queue/send/calm",
          new JsonObject().put("id", "still").put("payload", new JsonObject().put("ok", true)));
      assertEquals(200, sent.status(), sent::toString);
      assertEquals("still", calm.next(Duration.ofSeconds(10)).getString("id"), "other subscribers still get theirs");
      try (LiveSubscriber newest = LiveSubscriber.connect(http.client(), ws + "firehose?sequence=last&access_token=" + KEY)) {
        assertEquals(HISTORY + LIVE, newest.next(Duration.ofSeconds(10)).getLong("sequence"));
      }

      for (NeverReadingSubscriber subscriber : slow) {
        NeverReadingSubscriber.Ending ending = subscriber.drain();
        System.out.printf("SlowSubscriberIT: a slow subscriber read %d frames, then %s%n", ending.framesRead(),
            ending.closeCode() < 0 ? "the connection ended" : "close " + ending.closeCode());
        assertTrue(ending.closeCode() == 1013 || ending.closeCode() == -1, "closed with " + ending.closeCode());
        assertTrue(ending.framesRead() < HISTORY + LIVE, "the server stopped sending to it");
      }
    } finally {
      for (NeverReadingSubscriber subscriber : slow) {
        subscriber.close();
      }
    }
  }

  private void push(String queue, int from, int count) throws Exception {
    String payload = "x".repeat(MESSAGE_CHARS);
    ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        done.add(producers.submit(() -> {
          for (int i = from + producer; i < from + count; i += PRODUCERS) {
            HttpJson.Reply sent = http.post(ferry.baseUrl() + "/queue/send/" + queue,
                new JsonObject().put("id", "m-" + i).put("payload", payload));
            if (sent.status() != 200) {
              throw new AssertionError("send " + i + ": " + sent);
            }
          }
          return null;
        }));
      }
      for (Future<?> producer : done) {
        producer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      producers.shutdownNow();
    }
  }

  private long heapUsedAfterGc() throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(ferry.pid()), "GC.run").redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    assertEquals(0, jcmd.waitFor(), "jcmd GC.run: " + output);
    return (long) metric("jvm_memory_used_bytes{area=\"heap\"");
  }

  private int status(String path) throws Exception {
    return http.client().send(HttpRequest.newBuilder(URI.create(ferry.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The sum of every /metrics sample whose name (and labels, as far as given) start with {@code prefix}. */
  private double metric(String prefix) throws Exception {
    String text = http.client().send(HttpRequest.newBuilder(URI.create(ferry.baseUrl() + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && (prefix.contains("{") || line.startsWith(prefix + " ")
          || line.startsWith(prefix + "{"))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}

package io.ferry.system;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Sonya queue under steady sends (spread over the messaging instances, moving to the next one when an
 * instance refuses connections) with WebSocket subscribers on the gateways that drop their stream now and
 * then, or lose it, and resume with {@code ?sequence=<last received + 1>}. Each subscriber must end with one
 * gap-free, duplicate-free, ordered stream holding every sequence a send was answered with.
 */
final class SonyaStream implements AutoCloseable {

  private static final long SEND_INTERVAL_MS = 25;
  private static final int MAX_FRAMES_PER_CONNECTION = 80;

  private final HttpJson http;
  private final String key;
  private final String queue;
  private final List<String> messagingBases;
  private final AtomicInteger currentBase = new AtomicInteger();
  private final NavigableSet<Long> acknowledged = new ConcurrentSkipListSet<>();
  private final AtomicLong failedSends = new AtomicLong();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean sending = true;
  private volatile boolean listening = true;
  private long first;

  SonyaStream(String key, String queue, List<String> messagingBases, List<String> gatewayBases) {
    this.http = new HttpJson(key);
    this.key = key;
    this.queue = queue;
    this.messagingBases = List.copyOf(messagingBases);
    for (String gateway : gatewayBases) {
      subscribers.add(new Subscriber(gateway));
    }
  }

  /**
   * Sends a first message (until one is acknowledged) and starts the subscribers from its sequence, so that
   * what earlier tests left in the queue is not judged, then starts the steady sends.
   */
  SonyaStream start() throws Exception {
    Awaitility.await("a first Sonya send acknowledged").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> sendOne(0) && !acknowledged.isEmpty());
    first = acknowledged.first();
    for (Subscriber subscriber : subscribers) {
      subscriber.last = first - 1;
      threads.add(new Thread(subscriber::run, "sonya-subscriber-" + threads.size()));
    }
    threads.add(new Thread(this::send, "sonya-sender"));
    threads.forEach(Thread::start);
    return this;
  }

  /** Sends answered with something else than a 200 with a sequence, or not answered at all. */
  long failedSends() {
    return failedSends.get();
  }

  long acknowledgedSends() {
    return acknowledged.size();
  }

  /** Moves the sender off {@code baseUrl} (an instance about to stop, taken out of rotation first). */
  void avoid(String baseUrl) {
    int at = currentBase.get();
    if (messagingBases.get(at).equals(baseUrl) && messagingBases.size() > 1) {
      currentBase.compareAndSet(at, (at + 1) % messagingBases.size());
    }
  }

  /** Stops sending, waits until every subscriber holds the last acknowledged sequence, and stops them. */
  void finish(Duration timeout) throws InterruptedException {
    sending = false;
    long last = acknowledged.isEmpty() ? 0 : acknowledged.last();
    try {
      Awaitility.await("WebSocket subscribers caught up to sequence " + last).atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> subscribers.stream().allMatch(s -> s.last >= last));
    } catch (ConditionTimeoutException behind) {
      // problems() says which subscriber is behind and by how much
    }
    listening = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(20).toMillis());
    }
  }

  /**
   * What is wrong with the subscribers' streams from the first sequence of {@link #start()} on; empty when each
   * is complete, gap-free and in order.
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Subscriber s : subscribers) {
      Set<Long> missing = new HashSet<>(acknowledged);
      missing.removeAll(s.seen);
      long gaps = 0;
      for (long sequence = first; sequence <= s.last; sequence++) {
        gaps += s.seen.contains(sequence) ? 0 : 1;
      }
      if (!missing.isEmpty() || gaps > 0 || s.duplicates > 0 || s.reorders > 0 || s.failure != null) {
        problems.add(String.format("subscriber on %s: %d acknowledged sequences missing (e.g. %s), %d gaps up to"
                + " %d, %d duplicates, %d reorders, failure %s", s.gateway, missing.size(),
            missing.stream().sorted().limit(5).toList(), gaps, s.last, s.duplicates, s.reorders, s.failure));
      }
    }
    return problems;
  }

  String summary() {
    return String.format("sonya: %d sends acknowledged, %d failed, %d reconnects", acknowledged.size(),
        failedSends.get(), subscribers.stream().mapToInt(s -> s.reconnects).sum());
  }

  private void send() {
    for (long n = 1; sending; n++) {
      sendOne(n);
      pause(SEND_INTERVAL_MS);
    }
  }

  private boolean sendOne(long n) {
    int at = currentBase.get();
    try {
      HttpJson.Reply sent = RequestsInFlight.to(messagingBases.get(at), () -> http.post(messagingBases.get(at)
          + "/queue/send/" + queue, new JsonObject().put("id", "m-" + n).put("payload", new JsonObject().put("n", n))));
      if (sent.status() == 200) {
        acknowledged.add(sent.object().getLong("sequence"));
        return true;
      }
      failedSends.incrementAndGet();
    } catch (Exception e) {
      failedSends.incrementAndGet();
      if (e instanceof IOException io && QueueClient.neverSent(io)) {
        currentBase.compareAndSet(at, (at + 1) % messagingBases.size());
      }
    }
    return false;
  }

  private static void pause(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    sending = false;
    listening = false;
  }

  /** One subscriber on one gateway; its fields are written by its own thread only. */
  private final class Subscriber {

    final String gateway;
    final Set<Long> seen = new ConcurrentSkipListSet<>();
    volatile long last;
    int duplicates;
    int reorders;
    int reconnects;
    volatile Throwable failure;

    Subscriber(String gateway) {
      this.gateway = gateway;
    }

    void run() {
      try {
        while (listening) {
          readOneConnection();
          reconnects++;
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    private void readOneConnection() throws Exception {
      LiveSubscriber live;
      try {
        live = LiveSubscriber.connect(http.client(), gateway.replace("http://", "ws://") + "/queue/listen/ws/"
            + queue + "?sequence=" + (last + 1) + "&access_token=" + key);
      } catch (Exception refused) {
        pause(200);
        return;
      }
      int quota = 1 + ThreadLocalRandom.current().nextInt(MAX_FRAMES_PER_CONNECTION);
      try {
        for (int taken = 0; taken < quota && listening && !live.ended(); ) {
          JsonObject frame = live.poll(Duration.ofMillis(100));
          if (frame != null) {
            record(frame.getLong("sequence"));
            taken++;
          }
        }
      } finally {
        if (ThreadLocalRandom.current().nextBoolean()) {
          live.abort();
        } else {
          live.close();
        }
      }
    }

    private void record(long sequence) {
      if (!seen.add(sequence)) {
        duplicates++;
      } else if (sequence < last) {
        reorders++;
      }
      last = Math.max(last, sequence);
    }
  }
}

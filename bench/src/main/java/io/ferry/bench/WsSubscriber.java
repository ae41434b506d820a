package io.ferry.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One Sonya WebSocket subscriber ({@code GET /queue/listen/ws/<queue>}). Every frame carries the bench's
 * publish index {@code bench_i} and send time {@code bench_t} (System.nanoTime of the publishing JVM: on Linux
 * CLOCK_MONOTONIC, the same in the subscribers' own JVM) in its payload;
 * the subscriber checks the indices arrive exactly once and in order, and records publish → frame latency
 * for frames published inside the current window. Frame fields are touched on the socket's event loop; the
 * window's figures are swapped out under the lock by the main thread.
 */
final class WsSubscriber {

  /** A measured window of publish times, [from, to) in System.nanoTime. */
  record Window(long from, long to) {

    boolean contains(long t) {
      return t >= from && t < to;
    }
  }

  private static final Window NONE = new Window(0, 0);

  private volatile WebSocket socket;
  private volatile boolean open;
  private volatile String closedWith;
  private volatile Window window = NONE;
  // Pushes run concurrently on pooled connections, so publish indices may be committed out of their order:
  // exactly-once is checked on the indices, ordering on Ferry's per-queue sequence.
  private final java.util.BitSet seen = new java.util.BitSet();
  private long lastSequence = -1;
  private volatile long received;
  private volatile long distinct;
  private volatile long duplicates;
  private volatile long outOfOrder;
  private long windowFrames;
  private LatencyHistogram windowLatency = new LatencyHistogram();

  /** A client for many sockets to one server (Vert.x's default allows only 50 per endpoint). */
  static WebSocketClient client(Vertx vertx, int maxConnections) {
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxConnections)
        .setConnectTimeout(30_000));
  }

  static Future<WsSubscriber> open(WebSocketClient client, Endpoint endpoint, String queueName) {
    WsSubscriber subscriber = new WsSubscriber();
    return client.connect(new WebSocketConnectOptions().setHost(endpoint.host()).setPort(endpoint.port())
        .setURI("/queue/listen/ws/" + queueName + "?access_token=" + endpoint.token())).map(ws -> {
          subscriber.socket = ws;
          subscriber.open = true;
          ws.closeHandler(v -> {
            subscriber.closedWith = ws.closeStatusCode() + " " + ws.closeReason();
            subscriber.open = false;
          });
          // Ferry sends each message as one final TEXT frame: its bytes are scanned as they came, with no
          // aggregation and no String, so 1,000 sockets at 100k+ frames/s do not make this JVM the limit.
          ws.frameHandler(frame -> {
            if (frame.isText()) {
              subscriber.onFrame(frame.binaryData());
            }
          });
          return subscriber;
        });
  }

  boolean isOpen() {
    return open;
  }

  /** The close code and reason Ferry gave, or null while open. */
  String closedWith() {
    return closedWith;
  }

  void close() {
    WebSocket ws = socket;
    if (ws != null && open) {
      ws.close();
    }
  }

  void window(Window next) {
    window = next;
  }

  /** Frames published inside the window and their latency so far; starts afresh. */
  synchronized WindowFigures takeWindow() {
    WindowFigures figures = new WindowFigures(windowFrames, windowLatency);
    windowFrames = 0;
    windowLatency = new LatencyHistogram();
    return figures;
  }

  record WindowFigures(long frames, LatencyHistogram latency) {
  }

  long received() {
    return received;
  }

  /** Different publish indices received. */
  long distinct() {
    return distinct;
  }

  /** Frames whose publish index had been received before. */
  long duplicates() {
    return duplicates;
  }

  /** Frames whose sequence was not above the previous frame's. */
  long outOfOrder() {
    return outOfOrder;
  }

  private static final byte[] BENCH_I = "\"bench_i\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] BENCH_T = "\"bench_t\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SEQUENCE = "\"sequence\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private void onFrame(io.vertx.core.buffer.Buffer frame) {
    long now = System.nanoTime();
    // One copy out of the frame's buffer, then plain array scans: through Buffer.getByte (two bounds checks per
    // byte) the three scans were the subscribers' JVM's hottest code, CPU taken from the same two cores Ferry has.
    byte[] text = frame.getBytes();
    long sequence = field(text, SEQUENCE);
    long i = field(text, BENCH_I);
    long t = field(text, BENCH_T);
    received++;
    if (i >= 0 && seen.get((int) i)) {
      duplicates++;
    } else if (i >= 0) {
      seen.set((int) i);
      distinct++;
    }
    if (sequence <= lastSequence) {
      outOfOrder++;
    }
    lastSequence = sequence;
    if (window.contains(t)) {
      synchronized (this) {
        windowFrames++;
        windowLatency.recordNanos(now - t);
      }
    }
  }

  /**
   * The integer after {@code key} in the frame's UTF-8 bytes (the keys are ASCII); a scan rather than a JSON
   * parse, since 1,000 subscribers parse 100k+ frames/s on the same two cores as Ferry. -1 when absent.
   */
  static long field(byte[] text, byte[] key) {
    int length = text.length;
    int at = -1;
    byte first = key[0];
    search:
    for (int start = 0, last = length - key.length; start <= last; start++) {
      if (text[start] != first) {
        continue;
      }
      for (int k = 1; k < key.length; k++) {
        if (text[start + k] != key[k]) {
          continue search;
        }
      }
      at = start;
      break;
    }
    if (at < 0) {
      return -1;
    }
    int pos = at + key.length;
    while (pos < length && text[pos] == ' ') {
      pos++;
    }
    boolean negative = pos < length && text[pos] == '-';
    if (negative) {
      pos++;
    }
    long value = 0;
    for (; pos < length; pos++) {
      byte c = text[pos];
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
  }
}

package io.ferry.gateway.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.gateway.config.GatewayConfig;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live subscription (one socket): follows its queue's feed from before the socket opens, replays
 * history if asked, then hands over to live frames with no gap and no duplicate — every frame at or below
 * the highest sequence already sent is dropped, and a hole in the feed (frames published before the bus
 * delivered the queue's feed to this gateway, or while the queue moved between messaging instances) is
 * filled from history before the frames after it are written. While open it pings the socket and ends at its credential's
 * expiry ({@link SocketClocks}). Every frame it takes — held, in a replay page, or written — is counted in
 * {@link HeldBytes} until its write completes; a socket that would hold more than its share is closed with
 * 1013. Confined to the context of the socket's event loop.
 */
public final class Subscription implements Follower {

  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

  private enum State { OPENING, REPLAYING, LIVE, CLOSED }

  private final Context context;
  private final String queueId;
  private final String key;
  private final StartPosition start;
  private final Replay replay;
  private final int maxHeldFrames;
  private final HeldBytes.Account account;
  private final int pingIntervalMs;
  private final long expiresAtMs;
  private final SocketClocks clocks;
  private final Consumer<Subscription> onFinished;
  // Live frames that arrive while the socket is opening or replaying.
  private final ArrayDeque<Frame> held = new ArrayDeque<>();
  private State state = State.OPENING;
  private FrameSink sink;
  // Bytes written since the last flush: they stop counting as held once that flush has left.
  private long unflushed;
  private long lastSent;
  // The queue's highest sequence this subscription has covered, from the feed or from history whatever the
  // key; -1 until known (a subscription from now on knows it at its first frame).
  private long coveredTo = -1;
  // The first and last sequences the feed brought while opening or replaying, whatever the key; -1 if none.
  private long heldFrom = -1;
  private long heldTo = -1;
  // A hole is being filled from history; once done, what history did not have counts as covered (a sequence
  // never published, or past retention), so the same hole is never asked for twice.
  private boolean filling;
  private WebSocketCloseStatus closeStatus;
  private String closeReason;

  Subscription(Context context, String queueId, String key, StartPosition start, long expiresAtMs,
      HistoryReader history, GatewayConfig config, HeldBytes heldBytes, Consumer<Subscription> onFinished) {
    this.context = context;
    this.queueId = queueId;
    this.key = key;
    this.start = start;
    this.replay = new Replay(history, queueId, key, config.historyPageSize());
    this.maxHeldFrames = config.maxHeldFrames();
    this.account = heldBytes.open(() -> context.runOnContext(v -> closeBehind(
        "the gateway holds too much for slow subscribers, resume with ?sequence=")));
    this.pingIntervalMs = config.pingIntervalMs();
    this.expiresAtMs = expiresAtMs;
    this.clocks = new SocketClocks(context.owner());
    this.onFinished = onFinished;
    this.lastSent = start.kind() == StartPosition.Kind.FROM ? start.fromSequence() - 1 : 0;
  }

  @Override
  public Context context() {
    return context;
  }

  public String queueId() {
    return queueId;
  }

  @Override
  public String key() {
    return key;
  }

  /** Starts writing to the opened socket: replay first if asked, then what was held, then live. */
  public void attach(FrameSink opened) {
    if (state == State.CLOSED) {
      opened.close(closeStatus, closeReason);
      return;
    }
    sink = opened;
    sink.onClosed(v -> closedByPeer());
    sink.onShutdown(v -> end(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down"));
    state = State.REPLAYING;
    clocks.start(sink, pingIntervalMs, expiresAtMs, this::end);
    Future<Long> replayed = switch (start.kind()) {
      case LIVE -> Future.succeededFuture(-1L);
      case FROM -> replay.from(start.fromSequence(), this::writeReplayed);
      case LAST -> replay.newest(this::writeReplayed);
    };
    afterReplay(replayed);
  }

  private void afterReplay(Future<Long> replayed) {
    replayed.onComplete(ar -> {
      if (ar.succeeded()) {
        coveredTo = Math.max(coveredTo, ar.result());
        goLive();
      } else if (state != State.CLOSED && sink.isClosing()) {
        finish();
      } else if (state != State.CLOSED) {
        LOG.warn("replay of queue {} failed", queueId, ar.cause());
        end(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "history unavailable, retry with ?sequence=");
      }
    });
  }

  // Frames after a hole wait (held) while history fills it; then live again, which looks for the next hole.
  private void fillHole() {
    state = State.REPLAYING;
    filling = true;
    afterReplay(replay.from(coveredTo + 1, this::writeReplayed));
  }

  /** The socket never opened (the upgrade failed): stop following. */
  public void cancel() {
    finish();
  }

  @Override
  public void onFrames(List<Frame> frames) {
    if (state == State.LIVE && sink.isClosing()) {
      // The client (or Ferry) has begun closing: nothing more may be written, and the close handler ends the
      // subscription once the connection is gone; until then the frames are not wanted.
      return;
    }
    switch (state) {
      case OPENING, REPLAYING -> hold(frames);
      case LIVE -> writeLive(frames);
      case CLOSED -> { }
    }
  }

  // Only a subscription that knows where it stands can tell a hole; one live from now learns it at its first
  // frame, and what was published before that is not its to have.
  @Override
  public void onHead(long head) {
    if (state == State.LIVE && coveredTo >= 0 && head > coveredTo && !sink.isClosing()) {
      fillHole();
    }
  }

  @Override
  public Future<Void> end(WebSocketCloseStatus status, String reason) {
    if (state == State.CLOSED) {
      return Future.succeededFuture();
    }
    closeStatus = status;
    closeReason = reason;
    FrameSink open = sink;
    finish();
    return open == null ? Future.succeededFuture() : open.close(status, reason).otherwiseEmpty();
  }

  private void hold(List<Frame> frames) {
    if (frames.isEmpty()) {
      return;
    }
    if (heldFrom < 0) {
      heldFrom = frames.get(0).sequence();
    }
    heldTo = Math.max(heldTo, frames.get(frames.size() - 1).sequence());
    for (Frame frame : frames) {
      if (frame.matches(key)) {
        if (held.size() >= maxHeldFrames || !account.add(frame.bytes())) {
          fellBehind();
          return;
        }
        held.add(frame);
      }
    }
  }

  private void goLive() {
    if (state == State.CLOSED) {
      return;
    }
    if (filling) {
      filling = false;
      coveredTo = Math.max(coveredTo, heldFrom - 1);
    }
    if (heldFrom > coveredTo + 1 && coveredTo >= 0) {
      heldFrom = -1;
      fillHole();
      return;
    }
    heldFrom = -1;
    coveredTo = Math.max(coveredTo, heldTo);
    state = State.LIVE;
    List<Frame> backlog = List.copyOf(held);
    held.clear();
    if (sink.isClosing()) {
      return;
    }
    // Whether the socket keeps up is judged by what earlier flushes left unsent, not by this batch.
    if (sink.writeQueueFull()) {
      fellBehind();
      return;
    }
    for (Frame frame : backlog) {
      send(frame);
    }
    flushSent();
  }

  private void writeLive(List<Frame> frames) {
    if (frames.isEmpty()) {
      return;
    }
    if (coveredTo >= 0 && frames.get(0).sequence() > coveredTo + 1) {
      fillHole();
      hold(frames);
      return;
    }
    coveredTo = Math.max(coveredTo, frames.get(frames.size() - 1).sequence());
    boolean behind = sink.writeQueueFull();
    if (frames instanceof FrameBatch batch && key == null && batch.firstSequence() > lastSent) {
      // Every frame of it is for this socket: one write of the batch's joint bytes.
      if (behind || !account.add(batch.bytes())) {
        fellBehind();
        return;
      }
      sink.write(batch);
      unflushed += batch.bytes();
      lastSent = batch.lastSequence();
      flushSent();
      return;
    }
    for (Frame frame : frames) {
      if (state != State.LIVE) {
        return;
      }
      if (!frame.matches(key) || frame.sequence() <= lastSent) {
        continue;
      }
      if (behind || !account.add(frame.bytes())) {
        fellBehind();
        return;
      }
      send(frame);
    }
    flushSent();
  }

  /**
   * Writes one replayed page, pausing whenever the socket's write queue is full; completes once the socket
   * can take the next page. The page counts as held until each frame is written.
   */
  private Future<Void> writeReplayed(List<Frame> frames) {
    if (state == State.CLOSED) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "subscription closed"));
    }
    if (!account.add(Frame.bytesOf(frames))) {
      fellBehind();
      return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "subscription closed"));
    }
    Promise<Void> written = Promise.promise();
    writePage(frames, written);
    return written.future();
  }

  private void writePage(List<Frame> frames, Promise<Void> written) {
    if (state == State.CLOSED || sink.isClosing()) {
      written.tryFail(new FerryException(ErrorCode.UNAVAILABLE, "subscription closed"));
      return;
    }
    for (Frame frame : frames) {
      send(frame);
    }
    Future<Void> sent = flushSent();
    if (sink.writeQueueFull()) {
      sent.onComplete(written);
    } else {
      written.complete();
    }
  }

  /**
   * Writes a frame already counted as held, to go with the next {@link #flushSent()}; it stops counting once
   * that has left, or at once if not wanted.
   */
  private void send(Frame frame) {
    if (frame.sequence() <= lastSent || !frame.matches(key)) {
      account.remove(frame.bytes());
      return;
    }
    sink.write(frame);
    unflushed += frame.bytes();
    lastSent = frame.sequence();
  }

  /** Sends what {@link #send} wrote, in one go; completes once it has left (failed: the socket closed). */
  private Future<Void> flushSent() {
    if (unflushed == 0) {
      return Future.succeededFuture();
    }
    long bytes = unflushed;
    unflushed = 0;
    return sink.flush().onComplete(ar -> account.remove(bytes));
  }

  private void fellBehind() {
    closeBehind("subscriber fell behind, resume with ?sequence=");
  }

  private void closeBehind(String reason) {
    if (state != State.CLOSED) {
      account.closingBehind();
      end(WebSocketCloseStatus.TRY_AGAIN_LATER, reason + (lastSent + 1));
    }
  }

  private void closedByPeer() {
    finish();
  }

  private void finish() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    clocks.stop();
    held.clear();
    account.close();
    onFinished.accept(this);
  }
}

package io.ferry.contracts.runtime;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.x connection whose client is too slow or silent, by the phase it is in:
 * <ul>
 *   <li>no request open after a response: {@code idle} ms without a new request;
 *   <li>a request begun but its headers incomplete: {@code header} ms from its first byte (slowloris), or
 *       from the accept for a connection's first request;
 *   <li>headers read but the body incomplete: {@code body} ms from the end of the headers (slow bodies, and
 *       {@code Expect: 100-continue} followed by silence).
 * </ul>
 * While the server works on a request (a long-poll waiting for messages) nothing runs; once the connection
 * is upgraded to a WebSocket the handler leaves the pipeline: the gateway's ping/pong rule decides about those.
 * Runs on the channel's event loop only, so its state needs no locking.
 */
final class ConnectionDeadlines extends ChannelDuplexHandler {

  static final String NAME = "ferryDeadlines";

  private enum Phase { IDLE, HEADERS, BODY, SERVING }

  private final long idleMs;
  private final long headerMs;
  private final long bodyMs;
  private final Object client;
  private final boolean oneRequest;
  private ChannelHandlerContext ctx;
  // The phase whose deadline runs (null: none) and that deadline, in System.nanoTime().
  private Phase timed;
  private long deadline;
  // At most one timer, firing at timerAt: it may fire before the deadline, and then waits for the rest.
  private ScheduledFuture<?> timer;
  private long timerAt;
  private boolean headStarted;
  private boolean bodyOpen;
  private int requestsOpen;

  /** With {@code oneRequest}, the connection is closed once its first response is written. */
  ConnectionDeadlines(long idleMs, long headerMs, long bodyMs, Object client, boolean oneRequest) {
    this.idleMs = idleMs;
    this.headerMs = headerMs;
    this.bodyMs = bodyMs;
    this.client = client;
    this.oneRequest = oneRequest;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // A new connection owes its first request at once: connecting and then saying nothing holds a socket
    // for free, so the header deadline (not the longer idle timeout) runs from the accept.
    headStarted = true;
    update();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  /** The first byte of a request arrived (called by the request decoder, within a read). */
  void requestStarted() {
    if (!bodyOpen) {
      headStarted = true;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      headStarted = false;
      requestsOpen++;
      bodyOpen = true;
    }
    if (msg instanceof LastHttpContent) {
      bodyOpen = false;
    }
    super.channelRead(ctx, msg);
  }

  // Timers are (re)armed once per batch of reads, not per message: a GET's head and empty body arrive
  // together, and a body deadline armed between them would only be cancelled again.
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    update();
    super.channelReadComplete(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      // A WebSocket has no HTTP phases left to time: leave the pipeline, so no frame passes through here.
      cancel();
      super.write(ctx, msg, promise);
      ctx.pipeline().remove(this);
      return;
    }
    ChannelPromise written = promise;
    if (msg instanceof LastHttpContent && requestsOpen > 0) {
      requestsOpen--;
      if (oneRequest) {
        written = promise.unvoid();
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
    update();
    super.write(ctx, msg, written);
  }

  // A keep-alive connection goes from idle to serving and back with every request. Its timer is not moved
  // each time: one timer stays armed, and when it fires before the deadline in force then, it is armed again
  // for the rest. Scheduling and cancelling a timer per request was 0.5-1 % of a small request's CPU.
  private void update() {
    Phase phase = headStarted ? Phase.HEADERS : bodyOpen ? Phase.BODY
        : requestsOpen > 0 ? Phase.SERVING : Phase.IDLE;
    if (phase == timed && phase != Phase.IDLE) {
      // A deadline runs from the start of its phase, however the bytes trickle in.
      return;
    }
    long ms = switch (phase) {
      case IDLE -> idleMs;
      case HEADERS -> headerMs;
      case BODY -> bodyMs;
      default -> 0;
    };
    if (ms <= 0 || ctx == null) {
      timed = null;
      return;
    }
    timed = phase;
    long now = System.nanoTime();
    deadline = now + TimeUnit.MILLISECONDS.toNanos(ms);
    if (timer != null && timerAt - deadline <= 0) {
      return;
    }
    cancelTimer();
    arm(now);
  }

  private void arm(long now) {
    timerAt = deadline;
    timer = ctx.executor().schedule(this::fire, deadline - now, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    if (timed == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - deadline < 0) {
      arm(now);
    } else {
      expire(timed);
    }
  }

  private void expire(Phase phase) {
    // An idle connection closed is housekeeping; a request not sent in time is the client's failure.
    if (phase != Phase.IDLE) {
      ClientFailures.record(phase == Phase.HEADERS ? "header-timeout" : "body-timeout", client, null);
    }
    ctx.close();
  }

  private void cancel() {
    timed = null;
    cancelTimer();
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}

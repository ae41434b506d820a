package io.ferry.gateway.core;

/**
 * Per-socket bounds that keep a slow subscriber from costing unbounded memory.
 *
 * @param maxQueuedBytes bytes waiting to be sent on a socket before it counts as fallen behind
 * @param maxBufferedFrames live frames held while a socket is opening or replaying
 * @param historyPageSize messages read per history request during replay
 */
public record SocketLimits(int maxQueuedBytes, int maxBufferedFrames, int historyPageSize) {

  public static final SocketLimits DEFAULTS = new SocketLimits(1024 * 1024, 10_000, 100);

  public SocketLimits {
    if (maxQueuedBytes < 1024 || maxBufferedFrames < 1 || historyPageSize < 1) {
      throw new IllegalArgumentException("socket limits out of range: " + maxQueuedBytes + ", "
          + maxBufferedFrames + ", " + historyPageSize);
    }
  }
}

package io.ferry.dispatcher.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher instances this one knows to be there, from their heartbeats, and so which listeners' liveness
 * this one checks: those whose {@link RendezvousAssignment rendezvous owner} among them is this instance. A
 * peer silent for {@code timeoutMs} counts as gone. Until {@link #ready()} this instance checks nothing: a
 * newcomer first listens for a while, so that it does not check what the others still check.
 *
 * <p>Confined to the event loop of the context that drives it; times are the caller's monotonic milliseconds.
 */
public final class DispatcherPeers {

  private final String self;
  private final long timeoutMs;
  // Concurrent only so that checksLiveness may be read from other threads (tests); written on the event loop.
  private final Map<String, Long> lastHeardMs = new ConcurrentHashMap<>();
  private volatile boolean ready;

  public DispatcherPeers(String self, long timeoutMs) {
    this.self = self;
    this.timeoutMs = timeoutMs;
  }

  public String self() {
    return self;
  }

  /** Starts taking a share of the checks. */
  public void ready() {
    ready = true;
  }

  /** Stops taking a share: this instance is stopping, and the others take its checks over. */
  public void leave() {
    ready = false;
  }

  /** A peer's heartbeat; true when the members changed (a peer new to this instance). */
  public boolean heard(String peer, long nowMs) {
    return !peer.equals(self) && lastHeardMs.put(peer, nowMs) == null;
  }

  /** A peer said it is stopping; true when it was counted. */
  public boolean left(String peer) {
    return lastHeardMs.remove(peer) != null;
  }

  /** Forgets the peers silent for too long; true when there were any. */
  public boolean expire(long nowMs) {
    return lastHeardMs.values().removeIf(heardMs -> nowMs - heardMs >= timeoutMs);
  }

  /** This instance and the peers it hears, this one first. */
  public List<String> members() {
    List<String> members = new ArrayList<>(lastHeardMs.size() + 1);
    members.add(self);
    members.addAll(lastHeardMs.keySet());
    return members;
  }

  /** Whether this instance checks the liveness of {@code listenerId} now. */
  public boolean checksLiveness(String listenerId) {
    return ready && self.equals(RendezvousAssignment.ownerOf(listenerId, members()));
  }
}

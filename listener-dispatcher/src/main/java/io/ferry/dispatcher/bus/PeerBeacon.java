package io.ferry.dispatcher.bus;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.DispatcherPresence;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.dispatcher.core.DispatcherPeers;
import io.ferry.dispatcher.core.ListenerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other dispatcher instances this one is there (a heartbeat every {@code heartbeatMs}, and a last word
 * when stopping), hears theirs and their liveness reports, and has the registry re-share the liveness checks
 * whenever the instances change. A newcomer listens for {@link #LISTEN_FIRST_HEARTBEATS} heartbeats before it
 * announces itself and takes its share, so it knows who already checks what.
 *
 * <p>Confined to the event loop of the context that starts it.
 */
public final class PeerBeacon {

  private static final Logger LOG = LoggerFactory.getLogger(PeerBeacon.class);
  static final int LISTEN_FIRST_HEARTBEATS = 2;

  private final Vertx vertx;
  private final long heartbeatMs;
  private final DispatcherPeers peers;
  private final ListenerRegistry registry;
  private MessageConsumer<DispatcherPresence> presence;
  private MessageConsumer<ListenerLiveness> liveness;
  private long timer = -1;
  private boolean announced;

  private PeerBeacon(Vertx vertx, long heartbeatMs, DispatcherPeers peers, ListenerRegistry registry) {
    this.vertx = vertx;
    this.heartbeatMs = heartbeatMs;
    this.peers = peers;
    this.registry = registry;
  }

  /** A fresh instance id and no peers yet; {@link #start} before the registry starts. */
  public static DispatcherPeers newPeers(long timeoutMs) {
    return new DispatcherPeers(Ids.newId(), timeoutMs);
  }

  public static PeerBeacon create(Vertx vertx, long heartbeatMs, DispatcherPeers peers, ListenerRegistry registry) {
    return new PeerBeacon(vertx, heartbeatMs, peers, registry);
  }

  /** Completes once both subscriptions have reached the cluster. */
  public Future<Void> start() {
    presence = Bus.subscribe(vertx, Endpoints.DISPATCHER_PRESENCE, this::heard);
    liveness = Bus.subscribe(vertx, Endpoints.LISTENER_LIVENESS, registry::onLiveness);
    return Future.all(presence.completion(), liveness.completion()).onSuccess(v ->
        timer = vertx.setTimer(LISTEN_FIRST_HEARTBEATS * heartbeatMs, id -> announce())).mapEmpty();
  }

  /** Says this instance is leaving, so that the others take its checks over at once. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (announced) {
      // Stop checking before the others start, so that no check runs twice during the handover.
      peers.leave();
      registry.livenessDutyChanged();
      Bus.publish(vertx, Endpoints.DISPATCHER_PRESENCE, new DispatcherPresence(peers.self(), true));
    }
    return Future.join(unregister(presence), unregister(liveness)).mapEmpty();
  }

  private static Future<Void> unregister(MessageConsumer<?> consumer) {
    return consumer == null ? Future.succeededFuture() : consumer.unregister().otherwiseEmpty();
  }

  private void announce() {
    announced = true;
    peers.ready();
    LOG.info("dispatcher instance {} checks its share of the listeners' liveness, with {} other instance(s)",
        peers.self(), peers.members().size() - 1);
    registry.livenessDutyChanged();
    beat();
    timer = vertx.setPeriodic(heartbeatMs, id -> beat());
  }

  private void beat() {
    Bus.publish(vertx, Endpoints.DISPATCHER_PRESENCE, new DispatcherPresence(peers.self(), false));
    if (peers.expire(nowMs())) {
      LOG.info("a dispatcher instance went silent: liveness checks re-shared among {} instance(s)",
          peers.members().size());
      registry.livenessDutyChanged();
    }
  }

  private void heard(DispatcherPresence presence) {
    boolean changed = presence.leaving() ? peers.left(presence.instanceId())
        : peers.heard(presence.instanceId(), nowMs());
    if (changed) {
      LOG.info("dispatcher instance {} {}: liveness checks re-shared among {} instance(s)", presence.instanceId(),
          presence.leaving() ? "left" : "joined", peers.members().size());
      registry.livenessDutyChanged();
      if (announced && !presence.leaving()) {
        // Answered at once rather than at the next heartbeat, so that a newcomer learns of this instance fast.
        Bus.publish(vertx, Endpoints.DISPATCHER_PRESENCE, new DispatcherPresence(peers.self(), false));
      }
    }
  }

  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}

package io.ferry.contracts.runtime;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.impl.clustered.DefaultNodeSelector;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's round-robin node selection restricted to members that proved, by a TLS handshake with client
 * authentication, that they hold a certificate of the cluster CA.
 *
 * <p>Why: anyone who reaches the Hazelcast port can join the membership and register a consumer on any
 * address. TLS already stops a message from reaching such a member (the handshake fails), but Vert.x would
 * still pick its registration in turn and the request would be lost until its timeout. Here such
 * registrations are never picked: a point-to-point request goes to a proven member, or fails at once with
 * no handlers. A verdict is a property of the member's advertised bus address, checked again periodically;
 * confidentiality never depends on it, since every real bus connection does the same handshake.
 */
final class TrustedNodeSelector implements NodeSelector {

  private static final Logger LOG = LoggerFactory.getLogger(TrustedNodeSelector.class);
  static final long PROBE_TIMEOUT_MS = 5_000;
  static final long RECHECK_UNTRUSTED_MS = 10_000;

  private final DefaultNodeSelector delegate = new DefaultNodeSelector();
  private final NetClientOptions probeOptions;
  // nodeId -> the probe's outcome (true: proven); a pending probe is a future not yet complete.
  private final Map<String, Future<Boolean>> verdicts = new ConcurrentHashMap<>();
  // nodeId -> addresses whose registrations were filtered while that node was unproven.
  private final Map<String, Set<String>> waiting = new ConcurrentHashMap<>();
  private volatile ClusteredNode cluster;
  private volatile Vertx vertx;
  private volatile NetClient probes;

  TrustedNodeSelector(EventBusOptions bus) {
    // The same certificate, key and CA as the bus itself; hostnames are not checked, as the bus does not.
    this.probeOptions = new NetClientOptions(bus.toJson()).setHostnameVerificationAlgorithm("")
        .setConnectTimeout((int) PROBE_TIMEOUT_MS).setSslHandshakeTimeout(PROBE_TIMEOUT_MS)
        .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  void started(Vertx vertx) {
    this.vertx = vertx;
    this.probes = vertx.createNetClient(probeOptions);
  }

  @Override
  public void init(ClusteredNode clusterManager) {
    this.cluster = clusterManager;
    delegate.init(new TrustedRegistrations(clusterManager));
  }

  @Override
  public void eventBusStarted() {
    delegate.eventBusStarted();
  }

  @Override
  public void selectForSend(String address, Completable<String> promise) {
    delegate.selectForSend(address, promise);
  }

  @Override
  public void selectForPublish(String address, Completable<Iterable<String>> promise) {
    delegate.selectForPublish(address, promise);
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return delegate.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    delegate.registrationsUpdated(new RegistrationUpdateEvent(event.address(),
        provenNow(event.address(), event.registrations())));
  }

  @Override
  public void registrationsLost() {
    delegate.registrationsLost();
  }

  // Without waiting: registrations of proven members only; unproven ones are probed and, once proven, their
  // addresses refreshed.
  private List<RegistrationInfo> provenNow(String address, List<RegistrationInfo> registrations) {
    List<RegistrationInfo> proven = new ArrayList<>(registrations.size());
    for (RegistrationInfo registration : registrations) {
      Future<Boolean> verdict = verdict(registration.nodeId());
      if (verdict.succeeded() && verdict.result()) {
        proven.add(registration);
      } else if (!verdict.isComplete()) {
        waiting.computeIfAbsent(registration.nodeId(), id -> ConcurrentHashMap.newKeySet()).add(address);
      }
    }
    return proven;
  }

  // Waiting for the probes: used when the selector first looks an address up, so that the first request to a
  // freshly started member is not refused only because its probe had not finished.
  private Future<List<RegistrationInfo>> proven(String address, List<RegistrationInfo> registrations) {
    List<Future<Boolean>> pending = new ArrayList<>();
    for (RegistrationInfo registration : registrations) {
      Future<Boolean> verdict = verdict(registration.nodeId());
      if (!verdict.isComplete()) {
        waiting.computeIfAbsent(registration.nodeId(), id -> ConcurrentHashMap.newKeySet()).add(address);
      }
      pending.add(verdict);
    }
    return Future.join(pending).transform(ignored -> {
      List<RegistrationInfo> proven = new ArrayList<>(registrations.size());
      for (int i = 0; i < registrations.size(); i++) {
        Future<Boolean> verdict = pending.get(i);
        if (verdict.succeeded() && verdict.result()) {
          proven.add(registrations.get(i));
        }
      }
      return Future.succeededFuture(proven);
    });
  }

  private Future<Boolean> verdict(String nodeId) {
    ClusteredNode node = cluster;
    if (nodeId.equals(node.getNodeId())) {
      return Future.succeededFuture(true);
    }
    Future<Boolean> known = verdicts.get(nodeId);
    if (known != null) {
      return known;
    }
    if (probes == null) {
      // Not started yet: nothing is sent before, so no verdict is needed yet.
      return Future.succeededFuture(false);
    }
    Promise<Boolean> promise = Promise.promise();
    Future<Boolean> previous = verdicts.putIfAbsent(nodeId, promise.future());
    if (previous != null) {
      return previous;
    }
    probe(nodeId).onComplete(promise);
    promise.future().onSuccess(trusted -> settled(nodeId, trusted));
    return promise.future();
  }

  private Future<Boolean> probe(String nodeId) {
    Promise<NodeInfo> info = Promise.promise();
    cluster.getNodeInfo(nodeId, info);
    return info.future()
        .compose(node -> probes.connect(node.port(), node.host()))
        .compose(socket -> socket.close().transform(ignored -> Future.succeededFuture(true)))
        .otherwise(failure -> {
          LOG.warn("cluster member {} is not sent to: its event bus did not prove a certificate of the cluster "
              + "CA ({})", nodeId, failure.getMessage());
          return false;
        });
  }

  private void settled(String nodeId, boolean trusted) {
    Set<String> addresses = waiting.remove(nodeId);
    if (trusted) {
      if (addresses != null) {
        addresses.forEach(this::refresh);
      }
      return;
    }
    // Checked again later: a member whose bus was briefly unreachable must not stay excluded for good, and a
    // member that left is forgotten.
    vertx.setTimer(RECHECK_UNTRUSTED_MS, id -> {
      verdicts.remove(nodeId);
      if (cluster.getNodes().contains(nodeId) && addresses != null) {
        addresses.forEach(this::refresh);
      }
    });
  }

  private void refresh(String address) {
    if (!delegate.wantsUpdatesFor(address)) {
      return;
    }
    cluster.getRegistrations(address, (registrations, failure) -> {
      if (failure == null) {
        registrationsUpdated(new RegistrationUpdateEvent(address, registrations));
      }
    });
  }

  // What the round-robin selector sees of the cluster manager: only proven members' registrations.
  private final class TrustedRegistrations implements ClusteredNode {

    private final ClusteredNode cluster;

    TrustedRegistrations(ClusteredNode cluster) {
      this.cluster = cluster;
    }

    @Override
    public String getNodeId() {
      return cluster.getNodeId();
    }

    @Override
    public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
      cluster.getRegistrations(address, (registrations, failure) -> {
        if (failure != null) {
          promise.fail(failure);
        } else {
          proven(address, registrations).onComplete(promise);
        }
      });
    }

    @Override
    public NodeInfo getNodeInfo() {
      return cluster.getNodeInfo();
    }

    @Override
    public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
      cluster.getNodeInfo(nodeId, promise);
    }

    @Override
    public List<String> getNodes() {
      return cluster.getNodes();
    }
  }
}

package io.ferry.contracts.runtime;

import io.vertx.core.Completable;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A node selector that never picks a member which has left the cluster.
 *
 * <p>Why: Vert.x's selector keeps a picture of each address's registrations, updated by the cluster manager's
 * events, and after a member is killed it kept picking it for seconds (until its registrations were cleaned
 * up, and later still in the picture); a request sent there is lost until its timeout (a dispatcher's lease
 * stalled 10 s, a forwarded call 5 s). Here registrations of members the cluster no longer lists are left out of
 * the picture, and a pick of such a member makes the selector read the address's registrations again and pick
 * once more.
 */
final class LiveMemberSelector implements NodeSelector {

  private final NodeSelector delegate;
  private volatile ClusteredNode cluster;

  LiveMemberSelector(NodeSelector delegate) {
    this.delegate = delegate;
  }

  @Override
  public void init(ClusteredNode clusterManager) {
    this.cluster = clusterManager;
    delegate.init(new LiveRegistrations(clusterManager));
  }

  @Override
  public void eventBusStarted() {
    delegate.eventBusStarted();
  }

  @Override
  public void selectForSend(String address, Completable<String> promise) {
    delegate.selectForSend(address, (node, failure) -> {
      if (failure != null || node == null || live(node)) {
        promise.complete(node, failure);
        return;
      }
      cluster.getRegistrations(address, (registrations, lookupFailure) -> {
        if (lookupFailure == null) {
          registrationsUpdated(new RegistrationUpdateEvent(address, registrations));
        }
        delegate.selectForSend(address, (again, stillFailing) ->
            promise.complete(stillFailing == null && again != null && !live(again) ? null : again, stillFailing));
      });
    });
  }

  @Override
  public void selectForPublish(String address, Completable<Iterable<String>> promise) {
    delegate.selectForPublish(address, (nodes, failure) -> {
      if (failure != null || nodes == null) {
        promise.complete(nodes, failure);
        return;
      }
      List<String> live = new ArrayList<>();
      nodes.forEach(node -> {
        if (live(node)) {
          live.add(node);
        }
      });
      promise.succeed(live);
    });
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return delegate.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    delegate.registrationsUpdated(new RegistrationUpdateEvent(event.address(), liveOf(event.registrations())));
  }

  @Override
  public void registrationsLost() {
    delegate.registrationsLost();
  }

  private boolean live(String node) {
    ClusteredNode current = cluster;
    return node.equals(current.getNodeId()) || current.getNodes().contains(node);
  }

  private List<RegistrationInfo> liveOf(List<RegistrationInfo> registrations) {
    if (registrations == null) {
      return null;
    }
    List<RegistrationInfo> live = new ArrayList<>(registrations.size());
    for (RegistrationInfo registration : registrations) {
      if (live(registration.nodeId())) {
        live.add(registration);
      }
    }
    return live;
  }

  // What the wrapped selector sees of the cluster manager: registrations of live members only.
  private final class LiveRegistrations implements ClusteredNode {

    private final ClusteredNode cluster;

    LiveRegistrations(ClusteredNode cluster) {
      this.cluster = cluster;
    }

    @Override
    public String getNodeId() {
      return cluster.getNodeId();
    }

    @Override
    public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
      cluster.getRegistrations(address, (registrations, failure) -> promise.complete(
          failure == null ? liveOf(registrations) : null, failure));
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

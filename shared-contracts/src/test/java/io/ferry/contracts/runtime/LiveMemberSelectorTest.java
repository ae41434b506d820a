package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.impl.clustered.DefaultNodeSelector;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * After a member is killed, the cluster stops listing it at once but its registrations stay for seconds in
 * the cluster manager and in the selector's picture: requests must not be sent to it meanwhile.
 */
class LiveMemberSelectorTest {

  private static final String ADDRESS = "ferry.messaging.lease";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeCluster cluster = new FakeCluster();
  private final LiveMemberSelector selector = new LiveMemberSelector(new DefaultNodeSelector());

  @Test
  void aMemberThatLeftIsNeverPickedThoughItsRegistrationIsStillListed() throws Exception {
    cluster.join("a", "b");
    cluster.register("a", "b");
    selector.init(cluster);
    selector.eventBusStarted();
    assertEquals(Set.of("a", "b"), picks(10), "both picked in turn while both are members");

    // b is killed: the cluster no longer lists it, its registration is still there and no update came.
    cluster.nodes.remove("b");

    assertEquals(Set.of("a"), picks(20));
  }

  @Test
  void registrationsOfMembersThatLeftAreLeftOutOfUpdatesAndPublishes() throws Exception {
    cluster.join("a");
    cluster.register("a");
    selector.init(cluster);
    selector.eventBusStarted();
    picks(1);

    // An update that still lists a member the cluster has already dropped.
    selector.registrationsUpdated(new RegistrationUpdateEvent(ADDRESS,
        List.of(new RegistrationInfo("a", 1, false), new RegistrationInfo("gone", 2, false))));

    assertEquals(Set.of("a"), picks(10));
    Promise<Iterable<String>> published = Promise.promise();
    selector.selectForPublish(ADDRESS, published);
    List<String> to = new ArrayList<>();
    published.future().await(WAIT.toMillis(), TimeUnit.MILLISECONDS).forEach(to::add);
    assertEquals(List.of("a"), to);
  }

  @Test
  void anAddressHeldOnlyByMembersThatLeftHasNoHandler() throws Exception {
    cluster.join("a");
    cluster.register("a");
    selector.init(cluster);
    selector.eventBusStarted();
    picks(1);
    cluster.nodes.remove("a");

    Promise<String> picked = Promise.promise();
    selector.selectForSend(ADDRESS, picked);
    // Vert.x answers a null pick with "no handlers", which its callers treat as nobody serving the address.
    assertNull(picked.future().await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
  }

  private Set<String> picks(int count) throws Exception {
    Set<String> picked = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      Promise<String> node = Promise.promise();
      selector.selectForSend(ADDRESS, node);
      picked.add(node.future().await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    return picked;
  }

  private static final class FakeCluster implements ClusteredNode {

    final List<String> nodes = new CopyOnWriteArrayList<>(List.of("self"));
    final List<RegistrationInfo> registrations = new CopyOnWriteArrayList<>();

    void join(String... members) {
      nodes.addAll(List.of(members));
    }

    void register(String... members) {
      long seq = 0;
      for (String member : members) {
        registrations.add(new RegistrationInfo(member, seq++, false));
      }
    }

    @Override
    public String getNodeId() {
      return "self";
    }

    @Override
    public List<String> getNodes() {
      return List.copyOf(nodes);
    }

    @Override
    public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
      promise.succeed(List.copyOf(registrations));
    }

    @Override
    public NodeInfo getNodeInfo() {
      return new NodeInfo("127.0.0.1", 1, null);
    }

    @Override
    public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
      promise.succeed(new NodeInfo("127.0.0.1", 1, null));
    }
  }
}

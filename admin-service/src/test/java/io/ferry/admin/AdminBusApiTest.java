package io.ferry.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminBusApiTest {

  @RegisterExtension
  static final AdminTestNode admin = AdminTestNode.perClass();
  private Vertx vertx;
  private String key;
  private String account;

  @BeforeAll
  void start() throws Exception {
    vertx = admin.node.vertx();
    key = admin.rootKey();
    account = admin.accountId();
  }

  private <R> R request(String address, Object payload) throws Exception {
    return MessagingStandIn.await(Bus.<R>request(vertx, address, payload));
  }

  private FerryException failure(String address, Object payload) {
    Exception e = assertThrows(Exception.class, () -> request(address, payload));
    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
    return FerryException.from(cause);
  }

  @Test
  void authenticatesKeysAndRejectsOthers() throws Exception {
    Principal principal = request(Addresses.AUTH_AUTHENTICATE, new AuthRequest(key, "10.1.0.1"));
    assertEquals(account, principal.accountId());
    assertEquals(List.of("*"), principal.scopes());
    assertTrue(principal.root());
    assertTrue(Ids.isValid(principal.subject()));
    assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
        new AuthRequest(null, "10.1.0.1")).code());
    assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
        new AuthRequest("fry_nope", "10.1.0.1")).code());
  }

  @Test
  void throttlesRepeatedFailuresOfOneCredentialButNeverAValidOne() throws Exception {
    for (int i = 0; i < 21; i++) {
      assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
          AuthRequest.of("fry_guess", "10.9.9.9")).code());
      assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
          new AuthRequest(null, "10.9.9.9")).code());
    }
    assertEquals(ErrorCode.TOO_MANY_REQUESTS, failure(Addresses.AUTH_AUTHENTICATE,
        AuthRequest.of("fry_guess", "10.9.9.9")).code());
    assertEquals(ErrorCode.TOO_MANY_REQUESTS, failure(Addresses.AUTH_AUTHENTICATE,
        new AuthRequest(null, "10.9.9.9")).code());
    // The right key from the same address (one proxy, many clients) is never refused for others' failures.
    Principal same = request(Addresses.AUTH_AUTHENTICATE, AuthRequest.of(key, "10.9.9.9"));
    assertEquals(account, same.accountId());
    // The same guess from another client is its own.
    assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
        AuthRequest.of("fry_guess", "10.9.9.10")).code());
  }

  @Test
  void anApiKeyIsVerifiedByItsHashAlone() throws Exception {
    AuthRequest hashed = AuthRequest.of(key, "10.1.0.2");
    assertEquals(null, hashed.credential(), "the key itself never crosses the bus");
    assertEquals(account, this.<Principal>request(Addresses.AUTH_AUTHENTICATE, hashed).accountId());
    assertEquals(ErrorCode.UNAUTHENTICATED, failure(Addresses.AUTH_AUTHENTICATE,
        AuthRequest.of("fry_not-a-key-of-anyone-0123456789", "10.1.0.2")).code());
  }

  @Test
  void looksUpQueuesByIdAndName() throws Exception {
    String id = admin.discueQueue(key, "lookup-me");
    QueueInfo byId = request(Addresses.QUEUE_LOOKUP, QueueLookup.byId(account, id));
    assertEquals("lookup-me", byId.name());
    QueueInfo internal = request(Addresses.QUEUE_LOOKUP, QueueLookup.byId(null, id));
    assertEquals(id, internal.id());
    QueueInfo byName = request(Addresses.QUEUE_LOOKUP, QueueLookup.byName(account, "lookup-me"));
    assertEquals(id, byName.id());
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Addresses.QUEUE_LOOKUP, QueueLookup.byId(Ids.newId(), id)).code());
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Addresses.QUEUE_LOOKUP,
        QueueLookup.byName(Ids.newId(), "lookup-me")).code());
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Addresses.QUEUE_LOOKUP, QueueLookup.byName(account, "nope")).code());
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(Addresses.QUEUE_LOOKUP, QueueLookup.byName(null, "lookup-me")).code());
  }

  @Test
  void servesTopologyAndListeners() throws Exception {
    String queueId = admin.discueQueue(key, "topology");
    JsonObject consumer = admin.pullConsumer(queueId);
    JsonObject created = admin.post("/v1/queues/" + queueId + "/listeners", key, new JsonObject()
        .put("name", "topology-listener").put("notify_url", "https://93.184.215.14/n")
        .put("liveness_url", "https://93.184.215.14/l")).bodyAsJsonObject().getJsonObject("listener");
    String listenerId = created.getString("id");

    TopologySnapshot snapshot = request(Addresses.TOPOLOGY_SNAPSHOT, null);
    assertTrue(snapshot.queues().stream().anyMatch(q -> q.id().equals(queueId)));
    assertTrue(snapshot.subscriptions().contains(new SubscriptionSpec(consumer.getString("consumer_id"), queueId,
        SubscriptionSpec.Kind.PULL_CONSUMER, 5, 3, 0, 30_000, null)));
    assertTrue(snapshot.subscriptions().contains(new SubscriptionSpec(listenerId, queueId,
        SubscriptionSpec.Kind.LISTENER, 10, SubscriptionSpec.UNLIMITED_RETRIES, 5, 60_000, null)));

    ListenerInfo expected = new ListenerInfo(listenerId, account, queueId, "topology", "topology-listener",
        "https://93.184.215.14/n", "https://93.184.215.14/l", created.getString("secret"));
    assertEquals(expected, request(Addresses.LISTENER_GET, new ResourceRef(null, listenerId)));
    assertEquals(expected, request(Addresses.LISTENER_GET, new ResourceRef(account, listenerId)));
    assertEquals(ErrorCode.NOT_FOUND, failure(Addresses.LISTENER_GET, new ResourceRef(Ids.newId(), listenerId)).code());
    assertEquals(ErrorCode.NOT_FOUND, failure(Addresses.LISTENER_GET, new ResourceRef(null, Ids.newId())).code());
    ListenerList all = request(Addresses.LISTENERS_ALL, null);
    assertTrue(all.listeners().contains(expected));
  }
}

package io.ferry.gateway;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.contracts.testkit.DialectAssertions.assertErrorBody;
import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.gateway.TestNode.Rejection;
import io.ferry.gateway.TestNode.Reply;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may listen where, on both the WebSocket and the long-poll routes. */
class ListenAuthTest {

  private static final long IN_AN_HOUR = System.currentTimeMillis() + 3_600_000;
  @RegisterExtension
  static final TestNode node = TestNode.perClass();
  private static String queueId;

  @BeforeAll
  static void start() throws Exception {
    queueId = node.createQueue("secured");
    node.createQueue("elsewhere");
    node.retain(queueId, message(queueId, 1, "alice", ContentType.TEXT, "for alice"),
        message(queueId, 2, "bob", ContentType.TEXT, "for bob"));
  }

  @Test
  void missingCredentialIs401() throws Exception {
    assertRefused(null, "/secured", ErrorCode.UNAUTHENTICATED);
    assertRefused(null, "/secured/alice", ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void unknownCredentialIs401() throws Exception {
    assertRefused("not-a-credential", "/secured", ErrorCode.UNAUTHENTICATED);
    assertRefused("not-a-credential", "/secured/alice", ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void expiredTokenIs401() throws Exception {
    String expired = node.token("secured", "alice", System.currentTimeMillis() - 1_000);
    assertRefused(expired, "/secured/alice", ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void tokenForAnotherQueueIs403() throws Exception {
    String elsewhere = node.token("elsewhere", "alice", IN_AN_HOUR);
    assertRefused(elsewhere, "/secured/alice", ErrorCode.FORBIDDEN);
  }

  @Test
  void tokenForAnotherIdIs403() throws Exception {
    String bob = node.token("secured", "bob", IN_AN_HOUR);
    assertRefused(bob, "/secured/alice", ErrorCode.FORBIDDEN);
  }

  @Test
  void idTokenCannotListenToTheWholeQueue() throws Exception {
    String alice = node.token("secured", "alice", IN_AN_HOUR);
    assertRefused(alice, "/secured", ErrorCode.FORBIDDEN);
  }

  @Test
  void forbiddenEvenForAQueueThatDoesNotExist() throws Exception {
    String alice = node.token("secured", "alice", IN_AN_HOUR);
    assertRefused(alice, "/no-such-queue/alice", ErrorCode.FORBIDDEN);
  }

  @Test
  void idTokenListensToItsIdOverWebSocketAndLongPoll() throws Exception {
    String alice = node.token("secured", "alice", IN_AN_HOUR);
    TestSocket socket = node.connect("/queue/listen/ws/secured/alice?sequence=first&access_token=" + alice, null);
    assertEquals("for alice", socket.next().getString("payload"));
    socket.assertNoFrameWithin(100);
    socket.close();
    TestSocket viaHeader = node.connect("/queue/listen/ws/secured/alice?sequence=first", alice);
    assertEquals(1, viaHeader.next().getLong("sequence"));
    viaHeader.close();

    Reply reply = node.poll("/queue/listen/longpoll/secured/alice?sequence=first&access_token=" + alice, null);
    assertEquals(200, reply.status(), String.valueOf(reply.body()));
    assertEquals(1, reply.array().size());
    assertEquals("for alice", reply.array().getJsonObject(0).getString("payload"));
  }

  @Test
  void serviceTokenAndFullKeyListenEverywhere() throws Exception {
    for (String credential : List.of(TestNode.KEY, TestNode.FULL_KEY)) {
      for (String route : List.of("/secured", "/secured/bob")) {
        TestSocket socket = node.connect("/queue/listen/ws" + route + "?sequence=first", credential);
        assertEquals(route.endsWith("bob") ? 2 : 1, socket.next().getLong("sequence"));
        socket.close();
        Reply reply = node.poll("/queue/listen/longpoll" + route + "?sequence=first&timeout_ms=0", credential);
        assertEquals(200, reply.status(), credential + route);
        assertEquals(route.endsWith("bob") ? 1 : 2, reply.array().size(), credential + route);
      }
    }
  }

  private static void assertRefused(String credential, String route, ErrorCode code) throws Exception {
    Rejection ws = node.reject("/queue/listen/ws" + route, credential);
    assertErrorBody(ws.status(), ws.body(), Dialect.SONYA, code, "");

    Reply poll = node.poll("/queue/listen/longpoll" + route + "?timeout_ms=0", credential);
    assertError(poll.status(), poll.headers().get("Content-Type"), poll.error().encode(), Dialect.SONYA, code, "");
  }
}

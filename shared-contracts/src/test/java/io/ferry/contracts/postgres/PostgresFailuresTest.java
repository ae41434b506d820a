package io.ferry.contracts.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.Ports;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.TransactionRollbackException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which PostgreSQL client failures are an outage (answered 503 with Retry-After, and retried by messaging's
 * resync) and which are a bug (500, never retried): by SQLSTATE, by exception type, and for the client's few
 * untyped failures by their exact text, never by words in a message.
 */
class PostgresFailuresTest {

  @Test
  void sqlStatesOfADatabaseThatCannotServeNowAreAnOutage() {
    for (String state : new String[] {"08006", "08001", "53300", "53100", "57P01", "57P02", "57P03", "57014",
        "40P01", "40001"}) {
      assertTrue(PostgresFailures.isUnavailable(pg(state)), state);
    }
  }

  @Test
  void otherSqlStatesAreNotEvenWhenTheirMessageSoundsLikeOne() {
    for (String state : new String[] {"23505", "23503", "42P01", "22P02", "42501"}) {
      assertFalse(PostgresFailures.isUnavailable(pg(state)), state);
    }
    assertFalse(PostgresFailures.isUnavailable(new PgException("connection timeout closed queue", "ERROR",
        "42601", null)));
  }

  @Test
  void refusedAndTimedOutConnectsAndClosedChannelsAreAnOutage() {
    assertTrue(PostgresFailures.isUnavailable(new ConnectException("Connection refused")));
    assertTrue(PostgresFailures.isUnavailable(new ConnectTimeoutException("connection timed out")));
    assertTrue(PostgresFailures.isUnavailable(new ClosedChannelException()));
  }

  @Test
  void theClientsTypedFailuresOfALostDatabaseAreAnOutage() {
    assertTrue(PostgresFailures.isUnavailable(ClosedConnectionException.INSTANCE));
    assertTrue(PostgresFailures.isUnavailable(new ConnectionPoolTooBusyException("wait queue full")));
    assertTrue(PostgresFailures.isUnavailable(new NoStackTraceTimeoutException("timeout")));
  }

  @Test
  void theClientsUntypedFailuresAreAnOutageByTheirExactTextOnly() {
    for (String text : PostgresFailures.UNTYPED_OUTAGES) {
      assertTrue(PostgresFailures.isUnavailable(new VertxException(text)), text);
    }
    // Words an outage's message might contain do not make one.
    assertFalse(PostgresFailures.isUnavailable(new VertxException("the parameter queue is closed: connect it")));
  }

  @Test
  void aWrappedFailureIsClassifiedByWhatItWraps() {
    assertTrue(PostgresFailures.isUnavailable(new CompletionException(pg("57P01"))));
    assertTrue(PostgresFailures.isUnavailable(new VertxException("failed", new ConnectException("refused"))));
    assertFalse(PostgresFailures.isUnavailable(new CompletionException(pg("23505"))));
  }

  @Test
  void aFerryExceptionKeepsItsOwnVerdict() {
    assertTrue(PostgresFailures.isUnavailable(new FerryException(ErrorCode.UNAVAILABLE, "away")));
    assertFalse(PostgresFailures.isUnavailable(new FerryException(ErrorCode.INTERNAL, "bug")));
  }

  @Test
  void aBugOrARolledBackTransactionIsNotAnOutage() {
    assertFalse(PostgresFailures.isUnavailable(new IllegalArgumentException("cannot encode the value")));
    assertFalse(PostgresFailures.isUnavailable(TransactionRollbackException.INSTANCE));
    assertEquals(ErrorCode.INTERNAL, PostgresFailures.toFerry(new IllegalStateException("bug"), "testing").code());
  }

  @Test
  void aCommitWhoseAnswerWasLostOrCameAfterAnInterruptMayHaveApplied() {
    assertTrue(PostgresFailures.commitMayHaveApplied(ClosedConnectionException.INSTANCE));
    assertTrue(PostgresFailures.commitMayHaveApplied(new ClosedChannelException()));
    assertTrue(PostgresFailures.commitMayHaveApplied(new NoStackTraceTimeoutException("timeout")));
    // Terminated, shut down, cancelled or timed out: PostgreSQL may report these once the commit is flushed.
    for (String state : new String[] {"57P01", "57P02", "57P03", "57014", "08006", "XX000"}) {
      assertTrue(PostgresFailures.commitMayHaveApplied(pg(state)), state);
    }
    assertTrue(PostgresFailures.commitMayHaveApplied(new CompletionException(ClosedConnectionException.INSTANCE)));
  }

  @Test
  void aCommitRefusedByTheServerOrNeverSentSurelyDidNotApply() {
    for (String state : new String[] {"23505", "23503", "40001", "40P01"}) {
      assertFalse(PostgresFailures.commitMayHaveApplied(pg(state)), state);
    }
    assertFalse(PostgresFailures.commitMayHaveApplied(TransactionRollbackException.INSTANCE));
    assertFalse(PostgresFailures.commitMayHaveApplied(new VertxException(PostgresFailures.NOT_SENT)));
  }

  @Test
  void aCommitInDoubtIsAnsweredOutcomeUnknownSayingItMayHaveApplied() {
    FerryException answer = PostgresFailures.commitInDoubt(ClosedConnectionException.INSTANCE, "testing");
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, answer.code());
    assertTrue(answer.getMessage().contains("may or may not have been applied"), answer.getMessage());
    assertEquals(answer, PostgresFailures.toFerry(answer, "testing"), "passed on as it is");
  }

  @Test
  void aDatabaseNobodyListensForIsAnsweredUnavailable() {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
          .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(Ports.free()).setDatabase("none")
              .setUser("none"))
          .using(vertx).build();
      Throwable failure = assertThrows(ExecutionException.class, () -> pool.query("SELECT 1").execute()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).getCause();
      assertTrue(PostgresFailures.isUnavailable(failure), failure.toString());
      assertEquals(ErrorCode.UNAVAILABLE, PostgresFailures.toFerry(failure, "testing").code());
    } finally {
      Futures.await(vertx.close(), Duration.ofSeconds(10));
    }
  }

  private static PgException pg(String state) {
    return new PgException("message", "ERROR", state, null);
  }
}

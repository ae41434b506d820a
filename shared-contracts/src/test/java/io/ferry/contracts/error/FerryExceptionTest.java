package io.ferry.contracts.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/**
 * How event-bus failures become domain errors: a request that surely reached no handler is UNAVAILABLE
 * (nothing happened, retry), one whose reply timed out is OUTCOME_UNKNOWN (it may have been applied).
 */
class FerryExceptionTest {

  @Test
  void aReplyThatTimedOutIsAnOutcomeUnknown() {
    FerryException error = FerryException.from(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting 5000(ms) for a reply. address: __vertx.reply.1, repliedAddress: ferry.x"));

    assertEquals(ErrorCode.OUTCOME_UNKNOWN, error.code());
    assertTrue(error.getMessage().contains("may or may not have been applied"), error.getMessage());
    assertTrue(error.getMessage().contains("twice"), error.getMessage());
  }

  @Test
  void noHandlerIsUnavailable() {
    FerryException error = FerryException.from(new ReplyException(ReplyFailure.NO_HANDLERS,
        "No handlers for address ferry.x"));

    assertEquals(ErrorCode.UNAVAILABLE, error.code());
  }

  @Test
  void aRequestDiscardedUnreadByAnUnregisteredHandlerIsUnavailable() {
    FerryException error = FerryException.from(new ReplyException(ReplyFailure.TIMEOUT,
        "Discarded the request. address: ferry.x, repliedAddress: __vertx.reply.1"));

    assertEquals(ErrorCode.UNAVAILABLE, error.code());
  }

  @Test
  void aMessageTheReceivingNodeCouldNotReadIsUnavailable() {
    assertEquals(ErrorCode.UNAVAILABLE,
        FerryException.from(new ReplyException(ReplyFailure.ERROR, "cannot decode")).code());
  }

  @Test
  void anOutcomeUnknownFromAFurtherServiceArrivesAsItIs() {
    FerryException error = FerryException.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
        ErrorCode.OUTCOME_UNKNOWN.wireId(), "{\"message\":\"shard 3 did not answer\"}"));

    assertEquals(ErrorCode.OUTCOME_UNKNOWN, error.code());
    assertEquals("shard 3 did not answer", error.getMessage());
  }
}

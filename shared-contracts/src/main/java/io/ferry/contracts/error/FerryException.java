package io.ferry.contracts.error;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A domain failure: an {@link ErrorCode}, a human message, and optionally the request field at fault.
 * Crosses the event bus as a reply failure whose code is {@link ErrorCode#wireId()}.
 */
public final class FerryException extends RuntimeException {

  private static final String DISCARDED = "Discarded the request.";

  private final ErrorCode code;
  private final String field;

  public FerryException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public FerryException(ErrorCode code, String message, String field) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
  }

  public static FerryException invalidField(String field, String message) {
    return new FerryException(ErrorCode.INVALID_FIELD, field + ": " + message, field);
  }

  public ErrorCode code() {
    return code;
  }

  /** The request field at fault, or {@code null}. */
  public String field() {
    return field;
  }

  /** Fails an event-bus request with this error, so the requester can rebuild it with {@link #from}. */
  public void replyTo(Message<?> message) {
    JsonObject detail = new JsonObject().put("message", getMessage());
    if (field != null) {
      detail.put("field", field);
    }
    message.fail(code.wireId(), detail.encode());
  }

  /**
   * Maps any failure to a domain error: a FerryException as it is, a reply failure carrying one back into
   * one, a request that surely did not reach a handler (no handler, a message the receiving node could not
   * read, one discarded unread) to UNAVAILABLE, a request whose reply timed out to OUTCOME_UNKNOWN (it may
   * have been handled: the bus cannot tell a slow or dead handler from a lost message), anything else to
   * INTERNAL.
   */
  public static FerryException from(Throwable failure) {
    if (failure instanceof FerryException fe) {
      return fe;
    }
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        ErrorCode code = ErrorCode.fromWireId(re.failureCode());
        if (code != null) {
          return decodeDetail(code, re.getMessage());
        }
        return new FerryException(ErrorCode.INTERNAL, "internal error");
      }
      if (re.failureType() == ReplyFailure.TIMEOUT && !discardedUnread(re)) {
        return outcomeUnknown("the Ferry service this request was handed to did not answer in time");
      }
      return new FerryException(ErrorCode.UNAVAILABLE,
          "a Ferry service needed for this request is not reachable (" + re.failureType() + ")");
    }
    if (failure instanceof DecodeException) {
      return new FerryException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON");
    }
    return new FerryException(ErrorCode.INTERNAL, "internal error");
  }

  /**
   * OUTCOME_UNKNOWN with {@code why} and what it means for the client: the request may or may not have been
   * applied, and retrying it may apply it twice.
   */
  public static FerryException outcomeUnknown(String why) {
    return new FerryException(ErrorCode.OUTCOME_UNKNOWN, why + "; the request may or may not have been applied"
        + " (retrying is allowed, but a retried push may deliver its messages twice)");
  }

  /**
   * A TIMEOUT that Vert.x gives at once to a request still queued for a handler that was unregistered
   * (HandlerRegistration.discardMessage): the handler never saw it, unlike a real timeout.
   */
  public static boolean discardedUnread(ReplyException failure) {
    return failure.failureType() == ReplyFailure.TIMEOUT && failure.getMessage() != null
        && failure.getMessage().startsWith(DISCARDED);
  }

  private static FerryException decodeDetail(ErrorCode code, String encoded) {
    try {
      JsonObject detail = new JsonObject(encoded);
      return new FerryException(code, detail.getString("message", code.slug()), detail.getString("field"));
    } catch (RuntimeException notJson) {
      return new FerryException(code, encoded == null ? code.slug() : encoded);
    }
  }
}

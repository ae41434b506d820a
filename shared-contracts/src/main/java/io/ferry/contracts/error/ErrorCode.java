package io.ferry.contracts.error;

/**
 * The closed set of domain errors. Every failure a client can see is one of these; each dialect renders
 * it in its own format through {@link Dialect}.
 *
 * <p>{@code wireId} is the stable number carried in event-bus reply failures; {@code cloudflareCode} is
 * Cloudflare's own code where Cloudflare documents one, else Ferry's (11xxx, listed in docs/errors.md).
 */
public enum ErrorCode {
  INVALID_FIELD(1, 400, 10207),
  MALFORMED_JSON(2, 400, 10208),
  QUEUE_ID_MALFORMED(3, 400, 10107),
  BATCH_DELAY_INVALID(4, 400, 10202),
  MESSAGE_METADATA_INVALID(5, 400, 10203),
  MESSAGE_SIZE_OUT_OF_BOUNDS(6, 400, 10204),
  BATCH_SIZE_OUT_OF_BOUNDS(7, 400, 10205),
  BATCH_COUNT_OUT_OF_BOUNDS(8, 400, 10206),
  UNAUTHENTICATED(9, 401, 10106),
  FORBIDDEN(10, 403, 10106),
  QUEUE_NOT_FOUND(11, 404, 10104),
  NOT_FOUND(12, 404, 11006),
  METHOD_NOT_ALLOWED(13, 405, 11007),
  NAME_TAKEN(14, 409, 11001),
  CONSUMER_CONFLICT(15, 409, 11002),
  NO_PULL_CONSUMER(16, 409, 11003),
  DELIVERY_PAUSED(17, 409, 11004),
  SEQUENCE_CONFLICT(18, 409, 11005),
  UNPROCESSABLE(19, 422, 11008),
  REQUEST_TOO_LARGE(20, 413, 11012),
  UNSUPPORTED_MEDIA_TYPE(21, 415, 11011),
  TOO_MANY_REQUESTS(22, 429, 11009),
  QUEUE_OVERLOADED(23, 429, 10250),
  STORAGE_LIMIT_EXCEEDED(24, 429, 10251),
  UNAVAILABLE(25, 503, 11010),
  INTERNAL(26, 500, 15000),
  // Requests Vert.x cannot read at all (request line or headers beyond the HTTP server's limits).
  URI_TOO_LONG(27, 414, 11013),
  HEADERS_TOO_LARGE(28, 431, 11014),
  NOT_ACCEPTABLE(29, 406, 11015),
  // Handed to the Ferry service that serves it, which gave no answer in time: it may or may not have been
  // applied. Unlike UNAVAILABLE ("nothing happened"), a client must not count such a request as refused.
  OUTCOME_UNKNOWN(30, 504, 11016);

  /**
   * The {@code Retry-After} (seconds) sent with every error a client should simply retry ({@link #retryLater()}):
   * a store outage or a full write queue is expected to pass within moments, and clients back off further
   * on their own when it does not.
   */
  public static final int RETRY_AFTER_SECONDS = 1;

  private final int wireId;
  private final int httpStatus;
  private final int cloudflareCode;

  ErrorCode(int wireId, int httpStatus, int cloudflareCode) {
    this.wireId = wireId;
    this.httpStatus = httpStatus;
    this.cloudflareCode = cloudflareCode;
  }

  public int wireId() {
    return wireId;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int cloudflareCode() {
    return cloudflareCode;
  }

  /**
   * Whether the request may succeed unchanged if retried shortly, so its response carries {@code Retry-After}:
   * the service or its store is unavailable, or the queue's writes are backed up. Each of these says the
   * request was not applied. {@link #OUTCOME_UNKNOWN} is not one of them: it may have been applied, and
   * {@code Retry-After} would tell clients that treat it as "refused, send again" to send it again blindly;
   * whether to retry (a push retried may be delivered twice) is the client's call.
   */
  public boolean retryLater() {
    return this == UNAVAILABLE || this == QUEUE_OVERLOADED;
  }

  /** Lower-case name used as the machine-readable code in the Sonya dialect. */
  public String slug() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ErrorCode fromWireId(int wireId) {
    for (ErrorCode code : values()) {
      if (code.wireId == wireId) {
        return code;
      }
    }
    return null;
  }
}

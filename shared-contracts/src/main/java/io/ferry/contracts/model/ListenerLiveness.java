package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * The liveness of a listener as its dispatcher last saw it: the state, consecutive successes and failures
 * of the liveness check, and when it last ran ({@code checkedAtMs}, 0 when never); and the last failed check:
 * when ({@code lastFailureAtMs}, 0 when none), the receiver's status ({@code lastFailureStatus}, 0 when no
 * answer came, e.g. an address refused by the SSRF policy) and why ({@code lastFailureMessage}).
 */
public record ListenerLiveness(String listenerId, State state, int successCount, int failureCount,
    long checkedAtMs, long lastFailureAtMs, int lastFailureStatus, String lastFailureMessage)
    implements BusPayload {

  /** A report without any failed check on record. */
  public ListenerLiveness(String listenerId, State state, int successCount, int failureCount, long checkedAtMs) {
    this(listenerId, state, successCount, failureCount, checkedAtMs, 0, 0, null);
  }

  /** {@code stable}: the check passes; {@code unstable}: it failed, fewer times than the threshold;
   *  {@code inactive}: it failed the threshold in a row, so delivery is paused. */
  public enum State {
    STABLE, UNSTABLE, INACTIVE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a listener shows before its first check. */
  public static ListenerLiveness unchecked(String listenerId) {
    return new ListenerLiveness(listenerId, State.STABLE, 0, 0, 0);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("listenerId", listenerId)
        .put("state", state.name())
        .put("successCount", successCount)
        .put("failureCount", failureCount)
        .put("checkedAtMs", checkedAtMs)
        .put("lastFailureAtMs", lastFailureAtMs)
        .put("lastFailureStatus", lastFailureStatus)
        .put("lastFailureMessage", lastFailureMessage);
  }

  public static ListenerLiveness fromJson(JsonObject json) {
    return new ListenerLiveness(json.getString("listenerId"), State.valueOf(json.getString("state")),
        json.getInteger("successCount"), json.getInteger("failureCount"), json.getLong("checkedAtMs"),
        json.getLong("lastFailureAtMs", 0L), json.getInteger("lastFailureStatus", 0),
        json.getString("lastFailureMessage"));
  }
}

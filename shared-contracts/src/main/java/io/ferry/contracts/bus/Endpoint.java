package io.ferry.contracts.bus;

import java.util.Objects;

/**
 * A request/reply address with the payload it takes and the reply it gives, so that the bus contract is
 * checked by the compiler rather than described in comments. Requests without a payload use
 * {@link Void} and send {@code null}.
 *
 * @param <Q> the request payload
 * @param <R> the reply payload
 */
public final class Endpoint<Q, R> {

  private final String address;
  private final Class<Q> requestType;
  private final Class<R> replyType;

  private Endpoint(String address, Class<Q> requestType, Class<R> replyType) {
    this.address = Objects.requireNonNull(address, "address");
    this.requestType = Objects.requireNonNull(requestType, "requestType");
    this.replyType = Objects.requireNonNull(replyType, "replyType");
  }

  public static <Q, R> Endpoint<Q, R> of(String address, Class<Q> requestType, Class<R> replyType) {
    return new Endpoint<>(address, requestType, replyType);
  }

  public String address() {
    return address;
  }

  public Class<Q> requestType() {
    return requestType;
  }

  public Class<R> replyType() {
    return replyType;
  }

  @Override
  public String toString() {
    return address + " (" + requestType.getSimpleName() + " -> " + replyType.getSimpleName() + ")";
  }
}

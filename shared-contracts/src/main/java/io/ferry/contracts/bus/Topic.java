package io.ferry.contracts.bus;

import java.util.Objects;

/**
 * A publish/subscribe address with the payload every message on it carries.
 *
 * @param <T> the published payload
 */
public final class Topic<T> {

  private final String address;
  private final Class<T> payloadType;

  private Topic(String address, Class<T> payloadType) {
    this.address = Objects.requireNonNull(address, "address");
    this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
  }

  public static <T> Topic<T> of(String address, Class<T> payloadType) {
    return new Topic<>(address, payloadType);
  }

  public String address() {
    return address;
  }

  public Class<T> payloadType() {
    return payloadType;
  }

  @Override
  public String toString() {
    return address + " (" + payloadType.getSimpleName() + ")";
  }
}

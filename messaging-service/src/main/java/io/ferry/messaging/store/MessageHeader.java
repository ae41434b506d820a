package io.ferry.messaging.store;

/** A stored message's identity without its body: for listings and lookups by key. */
public record MessageHeader(long sequence, String id, String key) {

  /** The producer's key, else the message id (as {@code StoredMessage.frameId()}). */
  public String frameId() {
    return key != null ? key : id;
  }
}

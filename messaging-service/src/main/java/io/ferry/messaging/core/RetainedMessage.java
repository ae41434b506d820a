package io.ferry.messaging.core;

/**
 * A message the store holds, as the hot state tracks it (no body): how many subscriptions still have to
 * resolve it, and whether its deletion is already on its way to disk.
 */
final class RetainedMessage {

  final long sequence;
  final int bodyBytes;
  final long timestampMs;
  final long availableAtMs;
  int unresolved;
  boolean deleting;

  RetainedMessage(long sequence, int bodyBytes, long timestampMs, long availableAtMs) {
    this.sequence = sequence;
    this.bodyBytes = bodyBytes;
    this.timestampMs = timestampMs;
    this.availableAtMs = availableAtMs;
  }
}

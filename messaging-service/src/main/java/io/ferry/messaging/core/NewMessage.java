package io.ferry.messaging.core;

import io.ferry.contracts.model.ContentType;

/**
 * A message as a producer handed it in, already validated: its key (Sonya id / discue name, or
 * {@code null}), how to read the body, the body bytes, and its own delay ({@code null}: the batch's or the
 * queue's).
 */
public record NewMessage(String key, ContentType contentType, byte[] body, Integer delaySeconds) {
}

package io.ferry.messaging.core;

import java.util.List;

/**
 * Messages to append to one queue, named by id or (when {@code queueId} is {@code null}) by name within the
 * account. {@code accountId} is the caller's account ({@code null} for internal callers, whose messages
 * are Ferry's own and are not checked against the queue's schema);
 * {@code delaySeconds} is the batch delay; {@code sequence} a client-chosen first sequence, or {@code null}.
 */
public record Publication(String accountId, String queueId, String queueName, List<NewMessage> messages,
    Integer delaySeconds, Long sequence) {

  public Publication {
    messages = List.copyOf(messages);
  }

  public static Publication toQueue(String accountId, String queueId, List<NewMessage> messages,
      Integer delaySeconds) {
    return new Publication(accountId, queueId, null, messages, delaySeconds, null);
  }

  public static Publication toQueueNamed(String accountId, String queueName, NewMessage message, Long sequence) {
    return new Publication(accountId, null, queueName, List.of(message), null, sequence);
  }
}

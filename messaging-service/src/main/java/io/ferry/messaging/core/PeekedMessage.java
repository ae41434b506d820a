package io.ferry.messaging.core;

import io.ferry.contracts.model.StoredMessage;

/** A message looked at without leasing it, with how often the queue's pull consumer was delivered it. */
public record PeekedMessage(StoredMessage message, int attempts) {
}

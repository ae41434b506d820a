package io.ferry.admin.model;

import io.ferry.contracts.model.WebhookAttempt;
import java.util.List;

/** One page of a listener's attempt log, newest first, and the id to continue after ({@code null} at its end). */
public record AttemptPage(List<WebhookAttempt> attempts, String nextAfterId) {

  public AttemptPage {
    attempts = List.copyOf(attempts);
  }
}

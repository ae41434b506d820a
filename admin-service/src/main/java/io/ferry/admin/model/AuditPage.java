package io.ferry.admin.model;

import io.ferry.contracts.model.FerryEvent;
import java.util.List;

/**
 * One page of an account's audit trail, newest first, and the id to continue after ({@code null} at the
 * end of the trail).
 */
public record AuditPage(List<FerryEvent> events, String nextAfterId) {

  public AuditPage {
    events = List.copyOf(events);
  }
}

package io.ferry.admin.api;

import io.ferry.contracts.auth.Access;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.Resource;
import io.ferry.contracts.model.QueueInfo;
import java.util.List;
import java.util.function.Function;

/**
 * Per-queue grant checks for routes that have resolved a queue of the caller's own account (another
 * account's queue is QUEUE_NOT_FOUND before it gets here, never FORBIDDEN).
 */
public final class QueueGrants {

  private QueueGrants() {
  }

  /** For {@code Future.map}: the queue itself, or FORBIDDEN when the caller's grants do not cover it. */
  public static Function<QueueInfo, QueueInfo> checked(Principal caller, Resource resource, Access access) {
    return queue -> {
      caller.check(resource, access, queue.id(), queue.name());
      return queue;
    };
  }

  /**
   * A new name for a queue needs a write grant covering that name, as creating a queue so named would: a grant
   * for some queues (by name or by id) must not be a way to take, or probe for, other names, which other
   * credentials' grants may cover.
   */
  public static void requireNameGrant(Principal caller, String newName) {
    caller.check(Resource.QUEUES, Access.WRITE, newName);
  }

  /** The queues of a listing the caller may see. */
  public static List<QueueInfo> visible(Principal caller, Resource resource, Access access, List<QueueInfo> queues) {
    if (caller.allows(resource, access)) {
      return queues;
    }
    return queues.stream().filter(queue -> caller.allows(resource, access, queue.id(), queue.name())).toList();
  }
}

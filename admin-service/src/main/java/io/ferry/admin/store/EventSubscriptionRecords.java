package io.ferry.admin.store;

import io.ferry.admin.model.EventSubscription;
import io.vertx.core.Future;
import java.util.List;

/** Event subscriptions of accounts: one area of an {@link AdminStore}, under its general contract. */
public interface EventSubscriptionRecords {

  /**
   * Fails QUEUE_NOT_FOUND unless the destination queue exists in the subscription's account, and
   * METHOD_NOT_ALLOWED when another subscription of the account has the same source and destination.
   */
  Future<Void> insertEventSubscription(EventSubscription subscription);

  /** Overwrites an existing subscription, with the checks of insert; fails NOT_FOUND when it is gone. */
  Future<Void> updateEventSubscription(EventSubscription subscription);

  /** A missing subscription is a no-op. Deleting a queue deletes the subscriptions that deliver into it. */
  Future<Void> deleteEventSubscription(String subscriptionId);

  Future<EventSubscription> eventSubscription(String subscriptionId);

  Future<List<EventSubscription>> eventSubscriptions(String accountId);
}

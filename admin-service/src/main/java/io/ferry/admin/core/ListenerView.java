package io.ferry.admin.core;

import io.ferry.admin.model.Listener;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.SubscriptionStats;

/** A listener as its owner sees it: its settings, its liveness and its delivery counters. */
public record ListenerView(Listener listener, ListenerLiveness liveness, SubscriptionStats stats) {
}

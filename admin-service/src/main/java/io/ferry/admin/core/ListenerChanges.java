package io.ferry.admin.core;

import io.ferry.admin.model.Listener;

/** What a listener update changes; a {@code null} part stays as it is. */
public record ListenerChanges(String name, String notifyUrl, String livenessUrl, Boolean enabled) {

  Listener applyTo(Listener listener) {
    Listener changed = listener.withSettings(name != null ? name : listener.name(),
        notifyUrl != null ? notifyUrl : listener.notifyUrl(),
        livenessUrl != null ? livenessUrl : listener.livenessUrl());
    return enabled != null ? changed.withEnabled(enabled) : changed;
  }
}

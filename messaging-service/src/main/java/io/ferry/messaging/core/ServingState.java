package io.ferry.messaging.core;

/**
 * Whether the messaging engine answers requests now: not while it loads its state at start, nor while it
 * reloads it from the store after a commit of unknown outcome. Readiness follows it, so that an orchestrator
 * routes to messaging only once requests succeed.
 */
public interface ServingState {

  /** True when requests are served; any thread. */
  boolean serving();
}

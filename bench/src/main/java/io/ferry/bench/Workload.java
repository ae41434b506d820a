package io.ferry.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** What every simulated client of one scenario does, round after round, on its own connection. */
interface Workload {

  /** Where the clients connect. */
  Endpoint endpoint();

  /**
   * One closed-loop round (one or more requests) on the client's connection; completes with the number of
   * items it finished (messages pushed or acked, requests answered). Runs on the client's event loop.
   */
  Future<Integer> round(ClientConnection client);

  /**
   * Runs on the bench's main thread before each timed phase (every one-second warm-up slice and every
   * measured run), outside the timed window; {@code bestRate} is the best items/s seen so far in this
   * scenario (0 before the first phase).
   */
  default void beforePhase(List<ClientConnection> clients, Duration phase, double bestRate) throws Exception {
  }

  /** Lines for the report's notes: what was left behind, anything that makes the figure suspect. */
  default List<String> notes() throws Exception {
    return List.of();
  }

  /** Releases what {@link RoundScenario#prepare} set up. */
  default void close() throws Exception {
  }
}

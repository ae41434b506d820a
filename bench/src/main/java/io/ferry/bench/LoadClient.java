package io.ferry.bench;

import io.vertx.core.Context;

/** One simulated client of a closed loop: its own connection, living on one event-loop context. */
interface LoadClient {

  /** The context the connection lives on; the client's loop runs there. */
  Context context();

  /** Requests (or statements) sent on this client so far. Read on the client's own context. */
  long requests();
}

package io.ferry.bench;

/** Where simulated clients connect, and the bearer token they send (null: none). */
record Endpoint(String host, int port, String token) {
}

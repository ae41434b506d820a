package io.ferry.bench;

import io.vertx.core.Context;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * A load client whose connection is not HTTP (the Redis and PostgreSQL peers'): a verticle instance each, so
 * every connection lives on an event-loop context of its own, as the HTTP clients' connections do.
 */
abstract class VerticleClient extends VerticleBase implements LoadClient {

  private static final Duration DEPLOY = Duration.ofSeconds(120);

  /** Commands or statements sent so far; only touched on this client's context. */
  long requests;

  @Override
  public Context context() {
    return context;
  }

  @Override
  public long requests() {
    return requests;
  }

  /** Deploys {@code client} and adds it to {@code deployed}, so a later failure undeploys it too. */
  static <V extends VerticleClient> void deploy(Vertx vertx, V client, List<V> deployed) throws Exception {
    Await.result(vertx.deployVerticle(client), DEPLOY);
    deployed.add(client);
  }

  static void undeployAll(Vertx vertx, List<? extends VerticleClient> clients) throws Exception {
    for (VerticleClient client : clients) {
      Await.result(vertx.undeploy(client.deploymentID()), DEPLOY);
    }
  }
}

package io.ferry.contracts.runtime;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Event-loop contexts to spread work over, one per event loop: each instance of a verticle deployed {@code n}
 * times gets its own context on the next event loop, which is how Vert.x spreads work over its loops without
 * internal API. The deployment holds nothing else; undeploying it ends the contexts' timers.
 */
public final class EventLoopContexts extends VerticleBase {

  private final List<Context> contexts;

  private EventLoopContexts(List<Context> contexts) {
    this.contexts = contexts;
  }

  /** Deploys {@code n} holders; completes with their contexts and the deployment's id. */
  public static Future<Deployed> deploy(Vertx vertx, int n) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new EventLoopContexts(contexts), new DeploymentOptions().setInstances(n))
        .map(id -> new Deployed(id, List.copyOf(contexts)));
  }

  /** The contexts, in the order their holders started, and the deployment that holds them. */
  public record Deployed(String deploymentId, List<Context> contexts) {
  }

  @Override
  public Future<?> start() {
    contexts.add(context);
    return Future.succeededFuture();
  }
}

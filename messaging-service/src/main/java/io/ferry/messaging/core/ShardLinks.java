package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.vertx.core.Future;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * How this instance reaches the shards other instances own and offers its own to them (the event bus, in a
 * deployment): the engine's port to forwarding, so that core knows nothing of the bus.
 */
public interface ShardLinks {

  /**
   * The shard as its owner serves it, wherever that is; a call fails UNAVAILABLE when no instance has owned
   * the shard for the forwarding wait.
   */
  Shard remote(int shard);

  /** Serves {@code local} to the other instances; completes once they can reach it. */
  Future<Void> serve(int shard, Shard local);

  /** Stops serving the shard to the other instances at once: it was lost. */
  Future<Void> unserve(int shard);

  /**
   * Stops serving the shard to the other instances once another serves it (or after the forwarding wait):
   * until then what they send for it reaches {@code local} as given to {@link #serve}, which refuses it with
   * {@link ShardMoved} once the shard left, so that they send it again until they reach the new owner. Completes
   * when they no longer send it here.
   */
  Future<Void> handOff(int shard);

  /**
   * Tells the other instances that this one gave {@code shard} up ({@code -1}: every shard, and it left), so
   * that those that may take it claim it now rather than at their next lease round. Fire and forget.
   */
  default void released(int shard) {
  }

  /** Runs {@code action} each time another instance tells it gave shards up. */
  default void whenReleased(Runnable action) {
  }

  /**
   * Tells every instance, this one too, that {@code shard}, gained here, serves now. Fire and forget.
   */
  default void served(int shard) {
  }

  /** Runs {@code action} with the shard each time an instance tells that a shard it gained serves. */
  default void whenServed(IntConsumer action) {
  }

  /** The id of the account's queue by name as the topology's owner knows it, or {@code null} if none. */
  Future<String> queueIdByName(String accountId, String queueName);

  /**
   * A single instance: every shard is local, so nothing is forwarded nor served to anyone. A request that
   * arrives for a shard while it is not served (the instance is stopping) fails UNAVAILABLE.
   */
  static ShardLinks none() {
    return new ShardLinks() {
      @Override
      public Shard remote(int shard) {
        return (Shard) Proxy.newProxyInstance(Shard.class.getClassLoader(), new Class<?>[] {Shard.class},
            (proxy, method, args) -> Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE,
                "messaging does not serve shard " + shard + " at the moment; retry shortly")));
      }

      @Override
      public Future<Void> serve(int shard, Shard local) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> unserve(int shard) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> handOff(int shard) {
        return Future.succeededFuture();
      }

      @Override
      public Future<String> queueIdByName(String accountId, String queueName) {
        return Future.succeededFuture();
      }
    };
  }
}

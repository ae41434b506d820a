package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@link MessageStore} method, a default one included, reaches the store underneath unchanged: a
 * decorator built on the base overrides only what it changes and can never drop a call by omission. The one
 * exception, {@code forShard}, answers the decorator itself, so that no shard's commits slip past it.
 */
class ForwardingMessageStoreTest {

  @Test
  void everyStoreMethodIsHandedToTheStoreUnderneathWithItsArgumentsAndAnswer() throws Exception {
    List<String> received = new ArrayList<>();
    Object answer = Future.succeededFuture();
    Object ownership = ShardOwnership.everyShard(1);
    MessageStore underneath = (MessageStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
          received.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
          return method.getReturnType() == long.class ? 42L : method.getReturnType() == boolean.class ? true
              : method.getReturnType() == ShardOwnership.class ? ownership : answer;
        });
    MessageStore forwarding = new ForwardingMessageStore(underneath) { };

    for (Method method : MessageStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("forShard")) {
        continue;
      }
      Object[] args = Arrays.stream(method.getParameterTypes()).map(ForwardingMessageStoreTest::sample).toArray();
      Object returned = method.invoke(forwarding, args);
      String call = method.getName() + Arrays.toString(args);
      assertEquals(call, received.isEmpty() ? "nothing" : received.remove(0), "forwarded " + call);
      Object expected = method.getReturnType() == long.class ? (Object) 42L
          : method.getReturnType() == boolean.class ? (Object) true
          : method.getReturnType() == ShardOwnership.class ? ownership : answer;
      assertEquals(expected, returned, "answer of " + call);
    }
  }

  @Test
  void aShardOfTheDecoratorIsTheDecoratorItselfSoItsCommitsStillPassThroughIt() {
    List<String> received = new ArrayList<>();
    MessageStore underneath = (MessageStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
          received.add(method.getName());
          return Future.succeededFuture();
        });
    MessageStore forwarding = new ForwardingMessageStore(underneath) { };

    assertSame(forwarding, forwarding.forShard(3));
    assertEquals(List.of(), received);
  }

  private static Object sample(Class<?> type) {
    if (type == int.class) {
      return 7;
    }
    if (type == long.class) {
      return 9L;
    }
    if (type == String.class) {
      return "queue-or-key";
    }
    if (type == List.class) {
      return List.of(3L, 5L);
    }
    if (type == StoredStateVisitor.class) {
      return Proxy.newProxyInstance(ForwardingMessageStoreTest.class.getClassLoader(), new Class<?>[] {type},
          (proxy, method, args) -> method.getName().equals("toString") ? "visitor" : null);
    }
    if (type == Path.class) {
      return Path.of("backups", "nightly");
    }
    if (type == StoreBatch.class) {
      return new StoreBatch();
    }
    throw new IllegalArgumentException("no sample argument for " + type);
  }
}

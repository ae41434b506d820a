package io.ferry.messaging.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.core.Shard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.ferry.contracts.testkit.SampleValues;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shard operation's arguments and result cross the wire intact: the call and its reply go through the
 * codecs' encodeToWire / decodeFromWire (the local bus would hand the objects over untouched, hiding a field
 * written but never read). Operations come from {@link Shard} itself, so a new one is tested without edits.
 */
class ShardCallsWireTest {

  private static final Map<Class<?>, MessageCodec<?, ?>> CODECS = codecs();

  static Stream<Method> operations() {
    return Stream.of(Shard.class.getMethods());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void argumentsAndResultSurviveTheWire(Method operation) throws Exception {
    Object[] arguments = new Object[operation.getParameterCount()];
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = SampleValues.of(operation.getGenericParameterTypes()[i],
          operation.getParameters()[i].getName());
    }
    Object result = SampleValues.of(((ParameterizedType) operation.getGenericReturnType()).getActualTypeArguments()[0],
        operation.getName());

    AtomicReference<Object[]> received = new AtomicReference<>();
    Shard owner = (Shard) Proxy.newProxyInstance(Shard.class.getClassLoader(), new Class<?>[] {Shard.class},
        (proxy, method, args) -> {
          received.set(args);
          assertEquals(operation, method, "the owner ran another operation");
          return Future.succeededFuture(result);
        });
    Shard client = new ShardCalls.Client(3, (call, timeoutMs) ->
        ShardCalls.serve(owner, overTheWire(call, ShardCall.class)).map(reply -> overTheWire(reply, ShardReply.class)),
        1_000);

    Object answered = Futures.await((Future<?>) operation.invoke(client, arguments), Duration.ofSeconds(5));

    assertEquals(plain(Arrays.asList(arguments)), plain(Arrays.asList(received.get())),
        "arguments of " + operation.getName());
    assertEquals(plain(result), plain(answered), "result of " + operation.getName());
  }

  @Test
  void optionsLeftOutStayLeftOut() {
    AtomicReference<Object[]> received = new AtomicReference<>();
    Shard owner = (Shard) Proxy.newProxyInstance(Shard.class.getClassLoader(), new Class<?>[] {Shard.class},
        (proxy, method, args) -> {
          received.set(args);
          return Future.succeededFuture(null);
        });
    Shard client = new ShardCalls.Client(0, (call, timeoutMs) ->
        ShardCalls.serve(owner, overTheWire(call, ShardCall.class)), 1_000);

    client.pull("acct", "q", null, null, 0);

    assertEquals(Arrays.asList("acct", "q", null, null, 0), Arrays.asList(received.get()));
  }

  @Test
  void aLongPollMayTakeItsWaitOnTheOwner() {
    List<Long> timeouts = new ArrayList<>();
    Shard client = new ShardCalls.Client(0, (call, timeoutMs) -> {
      timeouts.add(timeoutMs);
      return Future.failedFuture("not sent");
    }, 1_000);

    client.pull("acct", "q", 1, null, 20_000);
    client.metrics("acct", "q");

    assertEquals(List.of(21_000L, 1_000L), timeouts);
  }

  @SuppressWarnings("unchecked")
  private static <T> T overTheWire(T payload, Class<T> type) {
    MessageCodec<T, T> codec = (MessageCodec<T, T>) CODECS.get(type);
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, payload);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  private static Map<Class<?>, MessageCodec<?, ?>> codecs() {
    Map<Class<?>, MessageCodec<?, ?>> registered = new HashMap<>();
    EventBus recorder = (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(),
        new Class<?>[] {EventBus.class}, (proxy, method, args) -> {
          registered.put((Class<?>) args[0], (MessageCodec<?, ?>) args[1]);
          return proxy;
        });
    Codecs.registerAll(recorder);
    assertTrue(registered.containsKey(ShardCall.class) && registered.containsKey(ShardReply.class));
    return registered;
  }


  /** Records as maps of their components and byte arrays as lists, so that equal content compares equal. */
  private static Object plain(Object value) throws Exception {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      List<Byte> list = new ArrayList<>();
      for (byte b : bytes) {
        list.add(b);
      }
      return list;
    }
    if (value instanceof List<?> list) {
      List<Object> plain = new ArrayList<>();
      for (Object item : list) {
        plain.add(plain(item));
      }
      return plain;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> plain = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        plain.put(entry.getKey(), plain(entry.getValue()));
      }
      return plain;
    }
    if (value.getClass().isRecord()) {
      Map<String, Object> plain = new LinkedHashMap<>();
      plain.put("@type", value.getClass().getName());
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        component.getAccessor().setAccessible(true);
        plain.put(component.getName(), plain(component.getAccessor().invoke(value)));
      }
      return plain;
    }
    return value;
  }
}

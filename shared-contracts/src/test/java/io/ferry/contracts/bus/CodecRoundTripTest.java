package io.ferry.contracts.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every codec {@link Codecs#registerAll} registers carries a representative payload intact, both within one
 * JVM and in the wire form that crosses JVMs. The payload types come from the registration itself, and each
 * sample is built from the record's components, so a newly registered type is tested without edits here.
 */
class CodecRoundTripTest {

  static Stream<Arguments> registeredCodecs() {
    Map<Class<?>, MessageCodec<?, ?>> registered = new LinkedHashMap<>();
    EventBus recorder = (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(),
        new Class<?>[] {EventBus.class}, (proxy, method, args) -> {
          if (!method.getName().equals("registerDefaultCodec")) {
            throw new UnsupportedOperationException("Codecs.registerAll called " + method);
          }
          registered.put((Class<?>) args[0], (MessageCodec<?, ?>) args[1]);
          return proxy;
        });
    Codecs.registerAll(recorder);
    assertFalse(registered.isEmpty(), "no codec registered");
    return registered.entrySet().stream()
        .map(e -> Arguments.of(e.getKey().getSimpleName(), e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredCodecs")
  void roundTripsInOneJvmAndOverTheWire(String name, Class<?> type, MessageCodec<Object, Object> codec)
      throws Exception {
    Object sample = sample(type, type.getSimpleName());

    assertDeepEquals(sample, codec.transform(sample), "in-JVM " + name);

    Buffer wire = Buffer.buffer("frame-prefix".getBytes(StandardCharsets.UTF_8));
    int start = wire.length();
    codec.encodeToWire(wire, sample);
    assertTrue(wire.length() > start, name + " wrote nothing");
    assertDeepEquals(sample, codec.decodeFromWire(start, wire), "wire " + name);
  }

  /** A value for {@code type} with every field set; {@code hint} names the field for distinct strings. */
  private static Object sample(Type type, String hint) throws Exception {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return List.of(sample(args[0], hint + "-1"), sample(args[0], hint + "-2"));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of(hint + "-key", sample(args[1], hint + "-value"));
      }
      throw new IllegalArgumentException("no sample for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return hint;
    }
    if (c == int.class || c == Integer.class) {
      return 1_000 + Math.abs(hint.hashCode() % 1_000);
    }
    if (c == long.class || c == Long.class) {
      return 1_700_000_000_000L + Math.abs(hint.hashCode() % 1_000);
    }
    if (c == boolean.class || c == Boolean.class) {
      return true;
    }
    if (c == byte[].class) {
      return new byte[] {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff};
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return constants[constants.length - 1];
    }
    if (c == JsonObject.class) {
      return new JsonObject().put("text", hint).put("n", 7).put("nested", new JsonObject().put("ok", true));
    }
    if (c == Object.class) {
      // A JSON value of any kind, such as a published body.
      return new JsonObject().put("body", hint).put("list", new JsonArray().add(1).add("two"));
    }
    if (c.isRecord()) {
      RecordComponent[] components = c.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = sample(components[i].getGenericType(), components[i].getName());
        types[i] = components[i].getType();
      }
      Constructor<?> canonical = c.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    }
    throw new IllegalArgumentException("no sample for " + type + " (" + hint + "): teach CodecRoundTripTest it");
  }

  /** Records field by field, arrays by content, JSON objects and maps (and arrays and lists) alike. */
  private static void assertDeepEquals(Object expected, Object actual, String path) throws Exception {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, path);
    } else if (expected.getClass().isRecord()) {
      assertEquals(expected.getClass(), actual.getClass(), path);
      for (RecordComponent component : expected.getClass().getRecordComponents()) {
        component.getAccessor().setAccessible(true);
        assertDeepEquals(component.getAccessor().invoke(expected), component.getAccessor().invoke(actual),
            path + "." + component.getName());
      }
    } else if (expected.getClass().isArray()) {
      assertTrue(actual.getClass().isArray(), path + " is not an array: " + actual);
      assertEquals(Array.getLength(expected), Array.getLength(actual), path + " length");
      for (int i = 0; i < Array.getLength(expected); i++) {
        assertDeepEquals(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]");
      }
    } else if (asMap(expected) != null) {
      Map<?, ?> want = asMap(expected);
      Map<?, ?> got = asMap(actual);
      assertTrue(got != null && want.keySet().equals(got.keySet()), path + ": " + expected + " vs " + actual);
      for (Object key : want.keySet()) {
        assertDeepEquals(want.get(key), got.get(key), path + "." + key);
      }
    } else if (asList(expected) != null) {
      List<?> want = asList(expected);
      List<?> got = asList(actual);
      assertTrue(got != null && want.size() == got.size(), path + ": " + expected + " vs " + actual);
      for (int i = 0; i < want.size(); i++) {
        assertDeepEquals(want.get(i), got.get(i), path + "[" + i + "]");
      }
    } else if (expected instanceof Number number && actual instanceof Number other) {
      assertEquals(number.longValue(), other.longValue(), path);
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static Map<?, ?> asMap(Object value) {
    if (value instanceof JsonObject json) {
      return json.getMap();
    }
    return value instanceof Map<?, ?> map ? map : null;
  }

  private static List<?> asList(Object value) {
    if (value instanceof JsonArray json) {
      return json.getList();
    }
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof Iterable<?> iterable) {
      List<Object> copy = new ArrayList<>();
      for (Iterator<?> it = iterable.iterator(); it.hasNext(); ) {
        copy.add(it.next());
      }
      return copy;
    }
    return null;
  }
}

package io.ferry.contracts.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.ferry.contracts.testkit.SampleValues;
import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    Object sample = SampleValues.of(type, type.getSimpleName());

    assertDeepEquals(sample, codec.transform(sample), "in-JVM " + name);

    Buffer wire = Buffer.buffer("frame-prefix".getBytes(StandardCharsets.UTF_8));
    int start = wire.length();
    codec.encodeToWire(wire, sample);
    assertTrue(wire.length() > start, name + " wrote nothing");
    assertDeepEquals(sample, codec.decodeFromWire(start, wire), "wire " + name);
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

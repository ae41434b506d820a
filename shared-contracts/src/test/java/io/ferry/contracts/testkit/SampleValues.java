package io.ferry.contracts.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * A value of a payload type with every field set, built by reflection, for tests that send every payload
 * through a codec and compare what comes out: strings and numbers are made distinct by a hint (the field's
 * name), byte arrays hold bytes that do not survive a text encoding by accident.
 */
public final class SampleValues {

  private SampleValues() {
  }

  /** A value of {@code type}; {@code null} for {@code Void}; fails for a type it does not know. */
  public static Object of(Type type, String hint) throws ReflectiveOperationException {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return List.of(of(args[0], hint + "-1"), of(args[0], hint + "-2"));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of(hint + "-key", of(args[1], hint + "-value"));
      }
      throw new IllegalArgumentException("no sample for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == Void.class) {
      return null;
    }
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
        values[i] = of(components[i].getGenericType(), components[i].getName());
        types[i] = components[i].getType();
      }
      Constructor<?> canonical = c.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    }
    throw new IllegalArgumentException("no sample for " + type + " (" + hint + "): teach SampleValues it");
  }
}

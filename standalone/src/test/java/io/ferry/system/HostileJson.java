package io.ferry.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * JSON bodies that a careless or hostile client sends: a valid template with one field given a wrong type,
 * removed, or joined by an extra one; and texts that are not JSON at all. Values are plain Java trees
 * (Map, List, String, Boolean, null, {@link Raw}) so that numbers JSON libraries would not write (1e400,
 * 2000 digits) and strings with lone surrogates or NULs can be sent as they are.
 */
final class HostileJson {

  /** A token written as it is: numbers beyond double, texts that are not JSON. */
  record Raw(String text) {
  }

  private static final String DIGITS = "9".repeat(2000);
  private static final List<Object> NUMBERS = List.of(raw("0"), raw("-1"), raw("1.5"), raw("-0"), raw("1e308"),
      raw("-1e308"), raw("1e400"), raw("1e-400"), raw("2147483648"), raw("-2147483649"),
      raw("9223372036854775808"), raw("18446744073709551616"), raw("123456789012345678901234567890.5"),
      raw("0.0000001"), raw("100"), raw("43201"), raw("1E2"), raw(DIGITS), raw("-" + DIGITS), raw("1." + DIGITS),
      raw("9223372036854775807"), raw("-9223372036854775808"), raw("9007199254740993"), raw("2147483647"));
  private static final List<Object> STRINGS = List.of("", " ", "ü€😀名前", "\u202eevil", "\u0000", "a\u0000b",
      "\ud800", "\udfff\ud800", "../../etc/passwd", "%00", "<script>alert(1)</script>",
      "http://169.254.169.254/latest/meta-data", "http://[::1]:9/x", "file:///etc/passwd", "http_pull", "worker",
      "json", "v8", "*", "queues:*:*", "queues:read", "null", "true", "1", "\r\nX-Injected: 1", "{\"a\":1}",
      "𝕗".repeat(300), "x".repeat(5000), "disabled", "ferry.queues", "queues.queue", "fz-main", "fz-only-b",
      "http://localhost:1/x", "http://user:pass@127.0.0.1:9/", "http://127.0.0.1:99999/", "https://",
      "http://[::ffff:169.254.169.254]/", "http://" + "a".repeat(300) + ".com/", "http://0x7f.1/", "ht tp://x",
      "(a+)+$", "[", "\\", "a".repeat(200_000), "whsec_x", "eyJhbGciOiJub25lIn0.e30.");
  private static final List<String> MALFORMED = List.of("{", "}", "{not json", "{\"a\":}", "[1,2", "nul", "tru",
      "{'a':1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1}}", "{\"a\":1} trailing", "{\"a\" 1}", "{,}",
      "{\"a\":01}", "{\"a\":.5}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "\"unterminated", "{\"a\":1,}", "[,]",
      "{\"a\":[1,2}", "/* comment */ {}", "\u0000", "{\"a\":\"line\nbreak\"}", ":", "{{}}", "--", "0x10");

  private HostileJson() {
  }

  static Raw raw(String text) {
    return new Raw(text);
  }

  /** A Vert.x JSON value as a plain tree. */
  static Object tree(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), tree(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(tree(item)));
      return list;
    }
    return value;
  }

  /** One value of a wrong or extreme kind: null, odd numbers and strings, nested or huge containers. */
  static Object hostileValue(Random rnd) {
    return hostileValue(rnd, List.of());
  }

  /** As above, sometimes one of {@code ids}: real ids of this or another account, in the wrong place. */
  static Object hostileValue(Random rnd, List<String> ids) {
    if (!ids.isEmpty() && rnd.nextInt(6) == 0) {
      return ids.get(rnd.nextInt(ids.size()));
    }
    return switch (rnd.nextInt(9)) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2, 3 -> NUMBERS.get(rnd.nextInt(NUMBERS.size()));
      case 4, 5 -> STRINGS.get(rnd.nextInt(STRINGS.size()));
      case 6 -> switch (rnd.nextInt(4)) {
        case 0 -> new LinkedHashMap<>();
        case 1 -> Map.of("a", Map.of("b", List.of(Map.of("c", raw("1e400")))));
        case 2 -> Map.of("$ne", 1);
        default -> raw(nestedObjects(150));
      };
      case 7 -> switch (rnd.nextInt(4)) {
        case 0 -> new ArrayList<>();
        case 1 -> java.util.Arrays.asList(null, 1, "a", Map.of());
        case 2 -> raw("[" + "0,".repeat(9999) + "0]");
        default -> raw("[".repeat(200) + "]".repeat(200));
      };
      default -> raw(rnd.nextBoolean() ? "[".repeat(3000) + "]".repeat(3000) : nestedObjects(3000));
    };
  }

  private static String nestedObjects(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  /** A body text that is not JSON, or JSON that is not an object, or bytes that are not UTF-8. */
  static byte[] notAnObject(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0, 1 -> utf8(MALFORMED.get(rnd.nextInt(MALFORMED.size())));
      case 2 -> utf8(List.of("[]", "[{}]", "\"text\"", "1", "null", "true", "-0", "1e400", " ").get(rnd.nextInt(9)));
      case 3 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      case 4 -> new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'};
      default -> utf8("\uFEFF{}");
    };
  }

  /** The template with one mutation: a field's value replaced, a field removed, or an extra one added. */
  @SuppressWarnings("unchecked")
  static Object mutate(Object template, Random rnd, List<String> ids) {
    Object copy = copy(template);
    List<Object[]> slots = new ArrayList<>();
    collectSlots(copy, slots);
    int kind = rnd.nextInt(10);
    if (slots.isEmpty() || kind == 9) {
      if (!(copy instanceof Map)) {
        return copy;
      }
      return everyLeaf(copy, rnd, ids);
    }
    Object[] slot = slots.get(rnd.nextInt(slots.size()));
    if (kind < 6) {
      put(slot, hostileValue(rnd, ids));
    } else if (kind < 8) {
      if (slot[0] instanceof Map<?, ?> map) {
        map.remove(slot[1]);
      } else {
        ((List<Object>) slot[0]).remove((int) (Integer) slot[1]);
      }
    } else {
      Object container = slot[0] instanceof Map ? slot[0] : copy;
      if (container instanceof Map<?, ?> map) {
        String key = List.of("extra", "__proto__", "", "ü", "\u0000", "k".repeat(1000), "$where", "settings",
            "constructor").get(rnd.nextInt(9));
        ((Map<String, Object>) map).put(key, hostileValue(rnd, ids));
      }
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Object everyLeaf(Object value, Random rnd, List<String> ids) {
    if (value instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).replaceAll((k, v) -> v instanceof Map || v instanceof List
          ? everyLeaf(v, rnd, ids) : hostileValue(rnd, ids));
    } else if (value instanceof List<?> list) {
      ((List<Object>) list).replaceAll(v -> v instanceof Map || v instanceof List
          ? everyLeaf(v, rnd, ids) : hostileValue(rnd, ids));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static void put(Object[] slot, Object value) {
    if (slot[0] instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put((String) slot[1], value);
    } else {
      ((List<Object>) slot[0]).set((Integer) slot[1], value);
    }
  }

  private static void collectSlots(Object value, List<Object[]> slots) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        slots.add(new Object[] {map, e.getKey()});
        collectSlots(e.getValue(), slots);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        slots.add(new Object[] {list, i});
        collectSlots(list.get(i), slots);
      }
    }
  }

  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  static byte[] encode(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    // Lone surrogates cannot be UTF-8: they are written as \\u escapes, so encoding never replaces them.
    return utf8(out.toString());
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Raw raw) {
      out.append(raw.text());
    } else if (value instanceof String text) {
      writeString(out, text);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",");
        first = false;
        writeString(out, (String) e.getKey());
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      out.append(value);
    }
  }

  private static void writeString(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c) && !validPair(text, i)) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c)) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static boolean validPair(String text, int i) {
    return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

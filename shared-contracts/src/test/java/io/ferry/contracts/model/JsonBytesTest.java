package io.ferry.contracts.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Strings come out byte for byte as a Jackson generator writing UTF-8 writes them (what the webhook bodies,
 * attempt entries and pull results were written with before), and read back as they were; numbers and nulls as
 * a JsonArray encodes them.
 */
class JsonBytesTest {

  private static final JsonFactory JACKSON = JsonFactory.builder().build();

  @Test
  void stringsAreWrittenAsTheJsonEncodersWriteThem() throws IOException {
    List<String> awkward = List.of("", "plain-id_0123", "quote \" and \\ backslash", "tab\tnew\nline\r",
        "\u0000\u0001\u001f\u007f", "h\u00e9llo w\u00f6rld", "\u2028\u2029", "emoji \uD83D\uDE00 pair", "/slash/",
        "<script>&amp;</script>");
    for (String value : awkward) {
      assertWrittenAsEncoders(value);
    }
    Random random = new Random(42);
    char[] alphabet = "ab\"\\\u0000\u0008\u001f\u007f\u00e9\u4e2d \t\n/".toCharArray();
    for (int i = 0; i < 10_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int length = random.nextInt(12); length > 0; length--) {
        if (random.nextInt(10) == 0) {
          text.append("\uD83D\uDE80");
        } else {
          text.append(alphabet[random.nextInt(alphabet.length)]);
        }
      }
      assertWrittenAsEncoders(text.toString());
    }
  }

  @Test
  void nullsAndNumbersAreWrittenAsTheEncoderWritesThem() {
    Buffer out = Buffer.buffer();
    out.appendByte((byte) '[');
    for (long value : new long[] {0, 7, 9, 10, -1, -10, 1_700_000_000_123L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      JsonBytes.appendLong(out, value).appendByte((byte) ',');
    }
    JsonBytes.appendLong(out, (Long) null).appendByte((byte) ',');
    JsonBytes.appendString(out, (String) null).appendByte((byte) ']');
    assertEquals(new JsonArray().add(0).add(7).add(9).add(10).add(-1).add(-10).add(1_700_000_000_123L)
        .add(Long.MAX_VALUE).add(Long.MIN_VALUE).addNull().addNull().encode(), out.toString());
  }

  private static void assertWrittenAsEncoders(String value) throws IOException {
    String written = JsonBytes.appendString(Buffer.buffer(), value).toString(StandardCharsets.UTF_8);
    assertEquals(jackson(value), written, () -> "for " + escaped(value));
    assertEquals(value, new JsonArray("[" + written + "]").getString(0), () -> "for " + escaped(value));
    assertEquals(written, JsonBytes.appendString(Buffer.buffer(), value.getBytes(StandardCharsets.UTF_8))
        .toString(StandardCharsets.UTF_8), () -> "UTF-8 bytes of " + escaped(value));
  }

  private static String jackson(String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JACKSON.createGenerator(bytes)) {
      json.writeString(value);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
        : String.format("\\u%04x", c)));
    return out.toString();
  }
}

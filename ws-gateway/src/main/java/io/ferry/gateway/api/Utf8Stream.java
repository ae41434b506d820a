package io.ferry.gateway.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that a text message, fed fragment by fragment, is UTF-8 (RFC 6455 §8.1) without keeping it: a
 * character split across fragments is carried over (at most three bytes).
 */
final class Utf8Stream {

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final CharBuffer discard = CharBuffer.allocate(512);
  private byte[] carried = new byte[0];

  /** Feeds the next fragment; false once the message cannot be UTF-8. The stream resets after the last. */
  boolean accept(byte[] fragment, boolean last) {
    ByteBuffer in = ByteBuffer.allocate(carried.length + fragment.length).put(carried).put(fragment).flip();
    boolean valid = decodeAll(in, last);
    if (last || !valid) {
      decoder.reset();
      carried = new byte[0];
    } else {
      carried = new byte[in.remaining()];
      in.get(carried);
    }
    return valid;
  }

  private boolean decodeAll(ByteBuffer in, boolean last) {
    CoderResult result;
    do {
      discard.clear();
      result = decoder.decode(in, discard, last);
      if (result.isError()) {
        return false;
      }
    } while (result.isOverflow());
    if (last) {
      discard.clear();
      return !decoder.flush(discard).isError() && !in.hasRemaining();
    }
    return true;
  }
}

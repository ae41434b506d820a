package io.ferry.messaging.core;

import io.ferry.contracts.model.Ids;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids that locate their message: 8 random hex digits, the first 8 hex digits of the queue id, and
 * the sequence as 16 hex digits. Still 32 lowercase hex characters like every Ferry id, but a lookup by id
 * (discue's GET / DELETE, paging cursors) needs no index: decode the sequence, check the queue, read one
 * key, and compare the stored id. Unique because a sequence is never reused within a queue.
 */
final class MessageIds {

  private static final int QUEUE_TAG_DIGITS = 8;
  private static final int SEQUENCE_START = 16;

  private MessageIds() {
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  // Formatted by hand: this runs for every message produced, and String.format costs a microsecond.
  static String newId(String queueId, long sequence) {
    char[] id = new char[32];
    int random = ThreadLocalRandom.current().nextInt();
    for (int i = 7; i >= 0; i--, random >>>= 4) {
      id[i] = HEX[random & 0xF];
    }
    queueId.getChars(0, QUEUE_TAG_DIGITS, id, 8);
    long rest = sequence;
    for (int i = 31; i >= SEQUENCE_START; i--, rest >>>= 4) {
      id[i] = HEX[(int) (rest & 0xF)];
    }
    return new String(id);
  }

  /** Whether {@code id} can be a message of the queue (it does not say that the message exists). */
  static boolean mayBelongTo(String id, String queueId) {
    return Ids.isValid(id) && id.regionMatches(8, queueId, 0, QUEUE_TAG_DIGITS);
  }

  /** The sequence an id names, or -1 if it is not a message id. */
  static long sequenceOf(String id) {
    if (!Ids.isValid(id)) {
      return -1;
    }
    long sequence = Long.parseUnsignedLong(id.substring(SEQUENCE_START), 16);
    return sequence > 0 ? sequence : -1;
  }
}

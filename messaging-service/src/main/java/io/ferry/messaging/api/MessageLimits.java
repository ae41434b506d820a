package io.ferry.messaging.api;

import io.ferry.contracts.error.ErrorCode;

/** Producer limits shared by every dialect (docs/compatibility.md). */
final class MessageLimits {

  static final int MAX_MESSAGE_BYTES = 128 * 1024;
  static final int MAX_BATCH_BYTES = 256 * 1024;
  static final int MAX_BATCH_MESSAGES = 100;
  static final int MAX_DELAY_SECONDS = 43_200;

  private MessageLimits() {
  }

  static void checkMessageSize(byte[] body, String path) {
    if (body.length > MAX_MESSAGE_BYTES) {
      throw RequestJson.invalid(ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS, path,
          "message is " + body.length + " bytes; the limit is " + MAX_MESSAGE_BYTES);
    }
  }
}

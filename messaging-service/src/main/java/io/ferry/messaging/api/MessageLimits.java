package io.ferry.messaging.api;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.runtime.RequestBody;

/** Producer limits shared by every dialect (docs/compatibility.md). */
public final class MessageLimits {

  public static final int MAX_BATCH_MESSAGES = 100;
  public static final int MAX_DELAY_SECONDS = 43_200;
  private static final int MAX_MESSAGE_BYTES = 128 * 1024;

  private MessageLimits() {
  }

  public static void checkMessageSize(byte[] body, String path) {
    if (body.length > MAX_MESSAGE_BYTES) {
      throw RequestBody.invalid(ErrorCode.MESSAGE_SIZE_OUT_OF_BOUNDS, path,
          "message is " + body.length + " bytes; the limit is " + MAX_MESSAGE_BYTES);
    }
  }
}

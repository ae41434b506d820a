package io.ferry.admin.core;

import io.ferry.contracts.error.FerryException;
import java.util.regex.Pattern;

/** The queue-name rule shared by every dialect: 1–128 characters of {@code [A-Za-z0-9._~/-]}. */
public final class QueueNames {

  public static final int MAX_LENGTH = 128;
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~/-]+");

  private QueueNames() {
  }

  /** Returns {@code name} when valid, else fails INVALID_FIELD naming {@code field}. */
  public static String require(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw FerryException.invalidField(field, "a queue name is required");
    }
    if (name.length() > MAX_LENGTH) {
      throw FerryException.invalidField(field, "a queue name has at most " + MAX_LENGTH + " characters");
    }
    if (!ALLOWED.matcher(name).matches()) {
      throw FerryException.invalidField(field,
          "a queue name may contain only letters, digits and . _ ~ / -");
    }
    return name;
  }
}

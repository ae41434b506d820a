package io.ferry.contracts.schema;

import io.vertx.core.json.Json;

// Where a value sits in a message: $, $.name, $["odd name"], $.items[3]. Rendered only for a violation.
final class ValuePath {

  static final ValuePath ROOT = new ValuePath(null, null, -1);

  private final ValuePath parent;
  private final String name;
  private final int index;

  private ValuePath(ValuePath parent, String name, int index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
  }

  ValuePath property(String name) {
    return new ValuePath(this, name, -1);
  }

  ValuePath item(int index) {
    return new ValuePath(this, null, index);
  }

  String violation(String reason) {
    return this + ": " + reason;
  }

  @Override
  public String toString() {
    if (parent == null) {
      return "$";
    }
    StringBuilder text = new StringBuilder(parent.toString());
    if (name == null) {
      text.append('[').append(index).append(']');
    } else if (isIdentifier(name)) {
      text.append('.').append(name);
    } else {
      text.append('[').append(Json.encode(name)).append(']');
    }
    return text.toString();
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}

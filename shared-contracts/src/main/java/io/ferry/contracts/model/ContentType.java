package io.ferry.contracts.model;

/** How a message body is to be read: Cloudflare's content types, which the other dialects map onto. */
public enum ContentType {
  JSON("json"), TEXT("text"), BYTES("bytes"), V8("v8");

  private final String wireName;

  ContentType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The content type with this wire name, or {@code null}. */
  public static ContentType fromWire(String name) {
    for (ContentType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    return null;
  }
}

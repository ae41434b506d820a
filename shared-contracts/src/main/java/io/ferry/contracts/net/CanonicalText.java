package io.ferry.contracts.net;

// Addresses as refusal messages name them: one spelling per address, whatever encoding the URL used.
final class CanonicalText {

  private CanonicalText() {
  }

  // Dotted quad, or RFC 5952 IPv6 (longest zero run as ::, IPv4-mapped tail dotted).
  static String of(byte[] raw) {
    if (raw.length == 4) {
      return (raw[0] & 0xff) + "." + (raw[1] & 0xff) + "." + (raw[2] & 0xff) + "." + (raw[3] & 0xff);
    }
    EmbeddedIpv4 embedded = EmbeddedIpv4.of(raw);
    boolean dottedTail = embedded != null && embedded.mapped();
    int groupCount = dottedTail ? 6 : 8;
    int[] groups = new int[groupCount];
    for (int i = 0; i < groupCount; i++) {
      groups[i] = (raw[2 * i] & 0xff) << 8 | raw[2 * i + 1] & 0xff;
    }
    // RFC 5952 §4.2.2: a lone zero group is not shortened, hence a run must beat length 1.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groupCount; i++) {
      int length = 0;
      while (i + length < groupCount && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < groupCount; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    if (dottedTail) {
      if (text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(of(embedded.ipv4()));
    }
    return text.toString();
  }
}

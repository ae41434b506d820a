package io.ferry.contracts.net;

// An IPv4 address carried inside an IPv6 one, which a connection may end up reaching: a blocked IPv4 address
// must stay blocked whichever IPv6 wrapping it arrives in. The form is the refusal message's wording.
record EmbeddedIpv4(String form, byte[] ipv4) {

  private static final String MAPPED = "an IPv4-mapped";

  static EmbeddedIpv4 of(byte[] raw) {
    if (raw.length != 16) {
      return null;
    }
    if (zero(raw, 0, 10) && (raw[10] & 0xff) == 0xff && (raw[11] & 0xff) == 0xff) {
      return new EmbeddedIpv4(MAPPED, slice(raw, 12));
    }
    if (zero(raw, 0, 8) && (raw[8] & 0xff) == 0xff && (raw[9] & 0xff) == 0xff && zero(raw, 10, 12)) {
      return new EmbeddedIpv4("an IPv4-translated", slice(raw, 12));
    }
    if (zero(raw, 0, 12)) {
      return new EmbeddedIpv4("an IPv4-compatible", slice(raw, 12));
    }
    if (raw[0] == 0 && raw[1] == 0x64 && (raw[2] & 0xff) == 0xff && (raw[3] & 0xff) == 0x9b
        && zero(raw, 4, 12)) {
      return new EmbeddedIpv4("a NAT64", slice(raw, 12));
    }
    if (raw[0] == 0x20 && raw[1] == 0x02) {
      return new EmbeddedIpv4("a 6to4", slice(raw, 2));
    }
    if (raw[0] == 0x20 && raw[1] == 0x01 && raw[2] == 0 && raw[3] == 0) {
      // Teredo stores the client's IPv4 address bit-inverted (RFC 4380 §4) so that NATs do not rewrite it.
      byte[] client = slice(raw, 12);
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~client[i];
      }
      return new EmbeddedIpv4("a Teredo", client);
    }
    return null;
  }

  // Refusals dot the tail of the mapped form only, the form RFC 5952 §5 recommends mixed notation for.
  boolean mapped() {
    return form.equals(MAPPED);
  }

  private static boolean zero(byte[] raw, int from, int to) {
    for (int i = from; i < to; i++) {
      if (raw[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] raw, int from) {
    byte[] ipv4 = new byte[4];
    System.arraycopy(raw, from, ipv4, 0, 4);
    return ipv4;
  }
}

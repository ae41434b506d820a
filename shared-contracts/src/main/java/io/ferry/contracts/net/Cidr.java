package io.ferry.contracts.net;

// An address range; the network part must be a strict address (no inet_aton forms, no zone) so that a
// configured range means exactly what it looks like.
record Cidr(byte[] network, int prefixBits) {

  static Cidr parse(String text) {
    if (text == null) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0 || !IpText.isDigits(text.substring(slash + 1), 3)) {
      return null;
    }
    String address = text.substring(0, slash);
    byte[] network = address.indexOf(':') >= 0 ? IpText.ipv6(address, false) : IpText.dottedQuad(address);
    int prefix = Integer.parseInt(text.substring(slash + 1));
    if (network == null || prefix > network.length * 8) {
      return null;
    }
    return new Cidr(network, prefix);
  }

  // An address of the other family is never inside: IPv4 disguised as IPv6 is unwrapped by the caller.
  boolean contains(byte[] raw) {
    if (raw.length != network.length) {
      return false;
    }
    int fullBytes = prefixBits / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (raw[i] != network[i]) {
        return false;
      }
    }
    int restBits = prefixBits % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - restBits)) & 0xff;
    return (raw[fullBytes] & mask) == (network[fullBytes] & mask);
  }
}

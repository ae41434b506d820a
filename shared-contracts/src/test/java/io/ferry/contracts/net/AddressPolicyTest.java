package io.ferry.contracts.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

  private static final AddressPolicy DEFAULT = AddressPolicy.create(List.of());

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1|127.0.0.1 is a loopback address",
      "127.255.255.254|127.255.255.254 is a loopback address",
      "10.0.0.1|10.0.0.1 is a private address",
      "10.255.255.255|10.255.255.255 is a private address",
      "172.16.0.1|172.16.0.1 is a private address",
      "172.31.255.255|172.31.255.255 is a private address",
      "192.168.1.1|192.168.1.1 is a private address",
      "169.254.0.1|169.254.0.1 is a link-local address",
      "169.254.169.254|169.254.169.254 is the cloud metadata address",
      "224.0.0.1|224.0.0.1 is a multicast address",
      "239.255.255.250|239.255.255.250 is a multicast address",
      "0.0.0.0|0.0.0.0 is an unspecified address",
      "0.1.2.3|0.1.2.3 is an unspecified address",
      "100.64.0.1|100.64.0.1 is a carrier-grade NAT (shared) address",
      "100.127.255.255|100.127.255.255 is a carrier-grade NAT (shared) address",
      "100.100.100.200|100.100.100.200 is a carrier-grade NAT (shared) address",
      "255.255.255.255|255.255.255.255 is the broadcast address",
      "240.0.0.1|240.0.0.1 is a reserved address",
      "192.0.0.170|192.0.0.170 is a reserved (IETF protocol assignment) address",
      "198.18.0.1|198.18.0.1 is a benchmarking address",
      "198.19.255.255|198.19.255.255 is a benchmarking address",
      "192.0.2.1|192.0.2.1 is a documentation (TEST-NET-1) address",
      "198.51.100.7|198.51.100.7 is a documentation (TEST-NET-2) address",
      "203.0.113.9|203.0.113.9 is a documentation (TEST-NET-3) address",
      "192.88.99.1|192.88.99.1 is a reserved (former 6to4 relay anycast) address",
      "100::1|100::1 is a discard-only address",
      "2001:2::1|2001:2::1 is a benchmarking address",
      "2001:db8::1|2001:db8::1 is a documentation address",
      "3fff::1|3fff::1 is a documentation address",
      "5f00::1|5f00::1 is a reserved (segment routing) address",
      "::ffff:198.18.0.1|::ffff:198.18.0.1 is an IPv4-mapped form of 198.18.0.1, a benchmarking address",
      "::1|::1 is a loopback address",
      "::|:: is an unspecified address",
      "fc00::1|fc00::1 is a private (unique local) address",
      "fdff:ffff::1|fdff:ffff::1 is a private (unique local) address",
      "fd00:ec2::254|fd00:ec2::254 is the cloud metadata address",
      "fe80::1|fe80::1 is a link-local address",
      "febf:ffff::1|febf:ffff::1 is a link-local address",
      "fec0::1|fec0::1 is a site-local address",
      "ff02::1|ff02::1 is a multicast address",
      "ff0e::101|ff0e::101 is a multicast address",
      "64:ff9b:1::a00:1|64:ff9b:1::a00:1 is a local-use NAT64 address",
      "::ffff:127.0.0.1|::ffff:127.0.0.1 is an IPv4-mapped form of 127.0.0.1, a loopback address",
      "::ffff:7f00:1|::ffff:127.0.0.1 is an IPv4-mapped form of 127.0.0.1, a loopback address",
      "::ffff:169.254.169.254|::ffff:169.254.169.254 is an IPv4-mapped form of 169.254.169.254, the cloud metadata address",
      "::ffff:0:10.0.0.1|::ffff:0:a00:1 is an IPv4-translated form of 10.0.0.1, a private address",
      "::127.0.0.1|::7f00:1 is an IPv4-compatible form of 127.0.0.1, a loopback address",
      "::192.168.0.1|::c0a8:1 is an IPv4-compatible form of 192.168.0.1, a private address",
      "64:ff9b::127.0.0.1|64:ff9b::7f00:1 is a NAT64 form of 127.0.0.1, a loopback address",
      "64:ff9b::a9fe:a9fe|64:ff9b::a9fe:a9fe is a NAT64 form of 169.254.169.254, the cloud metadata address",
      "2002:7f00:1::|2002:7f00:1:: is a 6to4 form of 127.0.0.1, a loopback address",
      "2002:a00:1::1|2002:a00:1::1 is a 6to4 form of 10.0.0.1, a private address",
      "2001:0:4136:e378:8000:63bf:80ff:fffe|2001:0:4136:e378:8000:63bf:80ff:fffe is a Teredo form of 127.0.0.1, a loopback address",
  })
  void refusesInternalAddresses(String address, String reason) {
    assertEquals(reason, DEFAULT.refusal(AddressPolicy.literal(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.63.255.255",
      "100.128.0.0", "169.253.255.255", "192.167.255.255", "223.255.255.255", "11.0.0.0", "126.255.255.255",
      "128.0.0.0", "2001:4860:4860::8888", "2606:4700:4700::1111", "fbff::1", "fe00::1", "::ffff:8.8.8.8",
      "64:ff9b::8.8.8.8", "2002:808:808::1", "198.17.255.255", "198.20.0.0", "2001:db9::1"})
  void allowsPublicAddresses(String address) {
    assertNull(DEFAULT.refusal(AddressPolicy.literal(address)));
  }

  @Test
  void checksResolvedAddressesWhateverTheirJavaType() throws Exception {
    assertEquals("127.0.0.1 is a loopback address", DEFAULT.refusal(InetAddress.getByName("127.0.0.1")));
    assertEquals("::1 is a loopback address", DEFAULT.refusal(InetAddress.getByName("::1")));
    // Java itself turns IPv4-mapped text into an Inet4Address: still refused.
    assertEquals("10.0.0.1 is a private address", DEFAULT.refusal(InetAddress.getByName("::ffff:10.0.0.1")));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1|127.0.0.1",
      "2130706433|127.0.0.1",
      "0x7f000001|127.0.0.1",
      "0X7F000001|127.0.0.1",
      "017700000001|127.0.0.1",
      "0177.0.0.1|127.0.0.1",
      "0x7f.0.0.1|127.0.0.1",
      "0x7f.0x0.0x0.0x1|127.0.0.1",
      "127.1|127.0.0.1",
      "127.0.1|127.0.0.1",
      "0x7f.1|127.0.0.1",
      "10.65535|10.0.255.255",
      "10.1.65535|10.1.255.255",
      "10.16777215|10.255.255.255",
      "0|0.0.0.0",
      "0x|0.0.0.0",
      "00000000000000177.0.0.1|127.0.0.1",
      "127.0.0.1.|127.0.0.1",
      "169.254.43518|169.254.169.254",
      "2852039166|169.254.169.254",
      "0xA9FEA9FE|169.254.169.254",
      "4294967295|255.255.255.255",
      "8.8.8.8|8.8.8.8",
  })
  void parsesIpv4TheWayInetAtonDoes(String host, String address) throws Exception {
    assertEquals(InetAddress.getByName(address), AddressPolicy.literal(host));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "[::1]|::1",
      "::1|::1",
      "[0:0:0:0:0:0:0:1]|::1",
      "[::ffff:127.0.0.1]|::ffff:7f00:1",
      "[::FFFF:7F00:1]|::ffff:7f00:1",
      "[fe80::1%eth0]|fe80::1",
      "fe80::1%25eth0|fe80::1",
      "[2001:db8:0:0:1:0:0:1]|2001:db8::1:0:0:1",
      "[1:2:3:4:5:6:7:8]|1:2:3:4:5:6:7:8",
      "[1::]|1::",
      "[1:2:3:4:5:6:1.2.3.4]|1:2:3:4:5:6:102:304",
  })
  void parsesIpv6WithOrWithoutBrackets(String host, String address) {
    InetAddress parsed = AddressPolicy.literal(host);
    assertNotNull(parsed, host);
    assertArrayEquals(ipv6Bytes(address), parsed.getAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "localhost", "hooks.example.org.", "1.2.3.4.5", "127.0.0.256",
      "256.0.0.1", "127.16777216", "4294967296", "08.0.0.1", "0x7g.0.0.1", "127..0.1", ".127.0.0.1",
      "127.0.0.1..", "1e100.net", "deadbeef", "0x100.0.0.1", "[::1", "[example.com]", "[1:2:3:4:5:6:7:8:9]",
      "1::2::3", "[12345::1]", "[::1.2.3]", "[::1.2.3.04]", "[fe80::1%]", "[:1]", "[1:]", "", "\u0661.0.0.1",
      "\uff11\uff12\uff17.0.0.1"})
  void answersNullForNamesAndMalformedLiterals(String host) {
    assertNull(AddressPolicy.literal(host), host);
  }

  @Test
  void answersNullForNoHost() {
    assertNull(AddressPolicy.literal(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.0/8", "10.0.0.0/8", "0.0.0.0/0", "192.168.1.1/32", "::1/128", "::/0",
      "fc00::/7", "::ffff:127.0.0.0/104", "2001:db8::/32", "127.0.0.1/8"})
  void acceptsCidrs(String cidr) {
    assertTrue(AddressPolicy.isCidr(cidr), cidr);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.0/33", "::1/129", "127.0.0.0/", "/8", "127.0.0.0/-1",
      "127.0.0.0/8/8", "127.1/8", "0x7f000000/8", "0177.0.0.0/8", "localhost/8", "[::1]/128", "fe80::1%eth0/64",
      "127.0.0.0/a", "", "1::2::3/64"})
  void refusesWhatIsNotACidr(String text) {
    assertFalse(AddressPolicy.isCidr(text), text);
  }

  @Test
  void refusesNullAsACidr() {
    assertFalse(AddressPolicy.isCidr(null));
  }

  @Test
  void anAllowListOpensExactlyItsRanges() {
    AddressPolicy policy = AddressPolicy.create(List.of("127.0.0.0/8", "10.1.0.0/16", "fd00::/8"));

    assertNull(policy.refusal(AddressPolicy.literal("127.0.0.1")));
    assertNull(policy.refusal(AddressPolicy.literal("127.9.9.9")));
    assertNull(policy.refusal(AddressPolicy.literal("10.1.200.3")));
    assertNull(policy.refusal(AddressPolicy.literal("fd12::1")));
    assertNull(policy.refusal(AddressPolicy.literal("::ffff:127.0.0.1")), "the mapped form of an allowed one");
    assertEquals("10.2.0.1 is a private address", policy.refusal(AddressPolicy.literal("10.2.0.1")));
    assertEquals("::1 is a loopback address", policy.refusal(AddressPolicy.literal("::1")));
    assertEquals("fc00::1 is a private (unique local) address", policy.refusal(AddressPolicy.literal("fc00::1")));
    assertEquals("169.254.169.254 is the cloud metadata address",
        policy.refusal(AddressPolicy.literal("169.254.169.254")));
  }

  @Test
  void anAllowListEntryWithHostBitsCoversItsWholeRange() {
    AddressPolicy policy = AddressPolicy.create(List.of("192.168.7.9/24", "::1/128"));

    assertNull(policy.refusal(AddressPolicy.literal("192.168.7.200")));
    assertNull(policy.refusal(AddressPolicy.literal("::1")));
    assertEquals("192.168.8.1 is a private address", policy.refusal(AddressPolicy.literal("192.168.8.1")));
  }

  @Test
  void anAllowListOfEverythingOpensEverything() {
    AddressPolicy policy = AddressPolicy.create(List.of("0.0.0.0/0", "::/0"));

    assertNull(policy.refusal(AddressPolicy.literal("169.254.169.254")));
    assertNull(policy.refusal(AddressPolicy.literal("ff02::1")));
  }

  @Test
  void anInvalidAllowListEntryFailsNamingIt() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AddressPolicy.create(List.of("127.0.0.0/8", "localhost")));
    assertTrue(error.getMessage().contains("'localhost'"), error.getMessage());
  }

  private static byte[] ipv6Bytes(String text) {
    try {
      byte[] raw = InetAddress.getByName(text).getAddress();
      if (raw.length == 16) {
        return raw;
      }
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(raw, 0, mapped, 12, 4);
      return mapped;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

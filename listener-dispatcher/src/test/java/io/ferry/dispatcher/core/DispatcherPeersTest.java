package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which instance checks a listener, as two instances' views of each other come and go. */
class DispatcherPeersTest {

  private static final long TIMEOUT_MS = 3_000;
  private static final List<String> LISTENERS = IntStream.range(0, 200).mapToObj(i -> "lst_" + i).toList();

  @Test
  void twoInstancesThatHearEachOtherCheckEveryListenerExactlyOnce() {
    DispatcherPeers a = ready("disp_a");
    DispatcherPeers b = ready("disp_b");
    a.heard("disp_b", 0);
    b.heard("disp_a", 0);
    for (String listener : LISTENERS) {
      assertTrue(a.checksLiveness(listener) ^ b.checksLiveness(listener), listener);
    }
    assertTrue(LISTENERS.stream().anyMatch(a::checksLiveness) && LISTENERS.stream().anyMatch(b::checksLiveness));
  }

  @Test
  void aNewcomerChecksNothingUntilReady() {
    DispatcherPeers newcomer = new DispatcherPeers("disp_new", TIMEOUT_MS);
    assertTrue(LISTENERS.stream().noneMatch(newcomer::checksLiveness));
    newcomer.ready();
    assertTrue(LISTENERS.stream().allMatch(newcomer::checksLiveness), "alone, it checks everything");
  }

  @Test
  void aSilentPeersListenersAreTakenOverOnceItTimesOut() {
    DispatcherPeers a = ready("disp_a");
    assertTrue(a.heard("disp_b", 1_000));
    assertFalse(a.heard("disp_b", 2_000), "a known peer's heartbeat changes nothing");
    assertFalse(LISTENERS.stream().allMatch(a::checksLiveness));
    assertFalse(a.expire(2_000 + TIMEOUT_MS - 1));
    assertFalse(LISTENERS.stream().allMatch(a::checksLiveness));
    assertTrue(a.expire(2_000 + TIMEOUT_MS));
    assertTrue(LISTENERS.stream().allMatch(a::checksLiveness));
    assertEquals(List.of("disp_a"), a.members());
  }

  @Test
  void aLeavingPeersListenersAreTakenOverAtOnce() {
    DispatcherPeers a = ready("disp_a");
    a.heard("disp_b", 0);
    assertTrue(a.left("disp_b"));
    assertTrue(LISTENERS.stream().allMatch(a::checksLiveness));
    assertFalse(a.left("disp_b"), "leaving twice changes nothing");
  }

  @Test
  void itsOwnHeartbeatIsNotAPeer() {
    DispatcherPeers a = ready("disp_a");
    assertFalse(a.heard("disp_a", 0));
    assertEquals(List.of("disp_a"), a.members());
  }

  private static DispatcherPeers ready(String self) {
    DispatcherPeers peers = new DispatcherPeers(self, TIMEOUT_MS);
    peers.ready();
    return peers;
  }
}

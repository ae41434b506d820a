package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every instance that knows the same members picks the same owner, and only a leaver's listeners move. */
class RendezvousAssignmentTest {

  private static final List<String> LISTENERS = listeners(3_000);

  @Test
  void theOwnerDoesNotDependOnTheOrderMembersAreKnownIn() {
    List<String> members = new ArrayList<>(List.of("disp_a", "disp_b", "disp_c"));
    Map<String, String> owners = owners(members);
    Collections.reverse(members);
    assertEquals(owners, owners(members));
    Collections.shuffle(members);
    assertEquals(owners, owners(members));
  }

  @Test
  void listenersAreSpreadOverTheMembers() {
    Map<String, Integer> perMember = new HashMap<>();
    owners(List.of("disp_a", "disp_b", "disp_c")).values().forEach(owner -> perMember.merge(owner, 1, Integer::sum));
    assertEquals(3, perMember.size());
    perMember.forEach((member, count) -> assertTrue(count > 800 && count < 1_200, member + " owns " + count));
  }

  @Test
  void onlyTheListenersOfAMemberThatLeftMove() {
    Map<String, String> before = owners(List.of("disp_a", "disp_b", "disp_c"));
    Map<String, String> after = owners(List.of("disp_a", "disp_c"));
    for (String listener : LISTENERS) {
      if (!before.get(listener).equals("disp_b")) {
        assertEquals(before.get(listener), after.get(listener), listener);
      }
    }
    assertTrue(after.containsValue("disp_a") && after.containsValue("disp_c"), "the leaver's share is spread");
  }

  @Test
  void aJoinerTakesListenersOnlyFromOthersNeverSwapsThem() {
    Map<String, String> before = owners(List.of("disp_a", "disp_b"));
    Map<String, String> after = owners(List.of("disp_a", "disp_b", "disp_c"));
    for (String listener : LISTENERS) {
      String owner = after.get(listener);
      assertTrue(owner.equals("disp_c") || owner.equals(before.get(listener)), listener);
    }
  }

  @Test
  void aLoneMemberOwnsEverythingAndNoMemberNothing() {
    assertEquals("disp_a", RendezvousAssignment.ownerOf("lst_1", List.of("disp_a")));
    assertNull(RendezvousAssignment.ownerOf("lst_1", List.of()));
  }

  private static Map<String, String> owners(List<String> members) {
    Map<String, String> owners = new HashMap<>();
    LISTENERS.forEach(listener -> owners.put(listener, RendezvousAssignment.ownerOf(listener, members)));
    return owners;
  }

  private static List<String> listeners(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add("lst_" + Integer.toString(i * 7919, 36));
    }
    return ids;
  }
}

package io.ferry.contracts.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void newIdsAreRandomVersion4UuidsAs32LowercaseHexDigits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newId();
      assertTrue(Ids.isValid(id), id);
      // The UUID's version and variant digits, where they stood before: the same ids as ever, only built faster.
      assertEquals('4', id.charAt(12), id);
      assertTrue("89ab".indexOf(id.charAt(16)) >= 0, id);
      assertTrue(seen.add(id), id);
    }
  }

  @Test
  void validIdsAreExactly32LowercaseHexDigits() {
    assertTrue(Ids.isValid("0123456789abcdef0123456789abcdef"));
    assertFalse(Ids.isValid(null));
    assertFalse(Ids.isValid("0123456789abcdef0123456789abcde"));
    assertFalse(Ids.isValid("0123456789ABCDEF0123456789abcdef"));
    assertFalse(Ids.isValid("0123456789abcdef0123456789abcdeg"));
  }
}

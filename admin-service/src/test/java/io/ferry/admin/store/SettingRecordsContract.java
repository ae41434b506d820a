package io.ferry.admin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link SettingRecords}: the first value stored is the one every caller gets, then and after reopening. */
abstract class SettingRecordsContract extends AdminStoreContract {

  @Test
  void keepsTheFirstValueEvenUnderConcurrentInits() throws Exception {
    List<Future<String>> inits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inits.add(store.settings().settingOrInit("secret", "value-" + i));
    }
    Set<String> seen = Set.copyOf(await(Future.all(inits)).<String>list());
    assertEquals(1, seen.size(), "every caller gets the one value kept: " + seen);
    String kept = seen.iterator().next();
    reopen();
    assertEquals(kept, await(store.settings().settingOrInit("secret", "later")));
    assertEquals("other", await(store.settings().settingOrInit("another", "other")));
  }
}

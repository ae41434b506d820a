package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.Ids;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  @Test
  void theShardOfAQueueIsPinnedForeverSinceDeploymentsDependOnIt() {
    // FNV-1a of the id's characters (53 computed independently); a change would move every queue of a deployment.
    assertEquals(0, new ShardMap(1).shardOf("00000000000000000000000000000000"));
    ShardMap map = new ShardMap(64);
    assertEquals(Integer.remainderUnsigned(fnv1a("0123456789abcdef0123456789abcdef"), 64),
        map.shardOf("0123456789abcdef0123456789abcdef"));
    assertEquals(53, map.shardOf("0123456789abcdef0123456789abcdef"));
    assertEquals(map.shardOf("ffffffffffffffffffffffffffffffff"),
        new ShardMap(64).shardOf("ffffffffffffffffffffffffffffffff"));
  }

  @Test
  void randomQueueIdsSpreadEvenlyOverTheShards() {
    ShardMap map = new ShardMap(16);
    int[] counts = new int[16];
    for (int i = 0; i < 16_000; i++) {
      counts[map.shardOf(Ids.newId())]++;
    }
    for (int count : counts) {
      assertTrue(count > 800 && count < 1200, "about 1,000 per shard, got " + count);
    }
  }

  @Test
  void aShardCountOutsideOneTo4096IsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ShardMap(0));
    assertThrows(IllegalArgumentException.class, () -> new ShardMap(4097));
    assertEquals(4096, new ShardMap(4096).shards());
  }

  private static int fnv1a(String text) {
    int hash = 0x811c9dc5;
    for (char c : text.toCharArray()) {
      hash ^= c;
      hash *= 0x01000193;
    }
    return hash;
  }
}

package io.ferry.dispatcher.core;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Picks one owner for a key among the instances (highest random weight): every instance that knows the same
 * members picks the same owner, with no shared state; when an instance leaves, only its keys move, and they
 * spread over the others rather than all landing on one.
 */
public final class RendezvousAssignment {

  private RendezvousAssignment() {
  }

  /** The member that owns {@code key}; null when there are none. */
  public static String ownerOf(String key, Collection<String> members) {
    String owner = null;
    long best = 0;
    for (String member : members) {
      long weight = weight(member, key);
      if (owner == null || Long.compareUnsigned(weight, best) > 0
          || weight == best && member.compareTo(owner) < 0) {
        owner = member;
        best = weight;
      }
    }
    return owner;
  }

  /** FNV-1a over member, a separator and key, then a 64-bit finalizer so that similar ids spread well. */
  static long weight(String member, String key) {
    long hash = 0xcbf29ce484222325L;
    hash = fnv(hash, member.getBytes(StandardCharsets.UTF_8));
    hash = fnv(hash, new byte[] {0});
    hash = fnv(hash, key.getBytes(StandardCharsets.UTF_8));
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }

  private static long fnv(long hash, byte[] bytes) {
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}

package io.ferry.messaging.store;

import static io.ferry.messaging.store.PgSchemaUnderTest.message;
import static io.ferry.messaging.store.PgSchemaUnderTest.queue;
import static org.awaitility.Awaitility.await;
import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messaging instances sharing a schema split its shards by leases: evenly, handing them over at once on a
 * graceful stop and only after the lease when an owner stops renewing (having stopped serving first), and a
 * commit of a shard another instance took writes nothing.
 */
class PgShardLeasesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SHARDS = 16;
  private static final long LEASE_MS = 1_500;

  @RegisterExtension
  final PgSchemaUnderTest pg = new PgSchemaUnderTest();
  private final List<PgMessageStore> opened = new ArrayList<>();
  // Every instance hears which shards the others serve, as over the event bus.
  private final List<Instance> cluster = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(store -> Futures.await(store.close(), WAIT));
  }

  @Test
  void twoInstancesSplitTheShardsEvenlyAndAGracefulStopHandsItsShardsOverWithinALease() {
    Instance first = start(open(LEASE_MS));
    Instance second = start(open(LEASE_MS));

    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);
    assertTrue(disjoint(first.owned(), second.owned()), first.owned() + " and " + second.owned());
    assertEquals(second.owned(), first.released, "the first instance, alone at first, gave up what the second owns");

    Futures.await(first.ownership.stop(), WAIT);
    assertEquals(Set.of(), first.owned());
    waitAtMost(Duration.ofMillis(LEASE_MS)).until(() -> second.owned().size() == SHARDS);
    assertEquals(Set.of(), second.lost);
  }

  @Test
  void anInstanceToldThatAShardWasReleasedClaimsItWithoutWaitingForItsNextRound() {
    long leaseMs = 30_000;
    Instance first = start(open(leaseMs));
    Instance second = start(open(leaseMs));
    assertEquals(SHARDS, first.owned().size());
    assertEquals(Set.of(), second.owned(), "the second one's first round found nothing free");
    int shard = SHARDS - 1;

    Futures.await(first.ownership.release(shard), WAIT);
    second.ownership.claimSoon();

    // Its next round is due a third of a lease (10 s) after its first.
    waitAtMost(Duration.ofSeconds(5)).until(() -> second.owned().contains(shard));
  }

  @Test
  void anOwnerThatStopsRenewingStopsServingAndOnlyThenAreItsShardsTakenAfterTheLease() {
    Instance frozen = start(open(LEASE_MS));
    Instance other = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> frozen.owned().size() == SHARDS / 2 && other.owned().size() == SHARDS / 2);
    Set<Integer> frozenShards = frozen.owned();

    long frozeAt = System.nanoTime();
    ((PgShardLeases) frozen.ownership).freezeForTest();

    // Owned counts from the claim; the gain is told right after, on the instance's context.
    waitAtMost(WAIT).until(() -> other.owned().size() == SHARDS && other.gainedAt.keySet().containsAll(frozenShards));
    assertEquals(frozenShards, frozen.lost, "the frozen instance was told it lost its shards");
    assertEquals(Set.of(), frozen.owned());
    for (int shard : frozenShards) {
      long lostAt = frozen.lostAt.get(shard);
      long gainedAt = other.gainedAt.get(shard);
      assertTrue(lostAt < gainedAt, "shard " + shard + " stopped being served before another instance took it");
      // Renewed about a third of a lease before the freeze at the earliest, so its lease ran well past it.
      assertTrue(gainedAt - frozeAt >= Duration.ofMillis(LEASE_MS / 2).toNanos(),
          "shard " + shard + " taken " + Duration.ofNanos(gainedAt - frozeAt) + " after the freeze");
    }
  }

  @Test
  void anInstanceStartedAgainUnderItsNameTakesItsShardsBackAtOnceAndItsFormerSelfCommitsNothing() {
    Instance before = start(open(PgShardLeases.DEFAULT_LEASE_MS, Integer.MAX_VALUE, "host-a:/data/messaging"));
    waitAtMost(WAIT).until(() -> before.owned().size() == SHARDS);
    // Dies without a word: its leases stay in the table, unexpired for another 10 s.
    ((PgShardLeases) before.ownership).freezeForTest();

    long started = System.nanoTime();
    Instance after = start(open(PgShardLeases.DEFAULT_LEASE_MS, Integer.MAX_VALUE, "host-a:/data/messaging"));
    assertEquals(SHARDS, after.owned().size(), "the first round took every shard back");
    assertTrue(System.nanoTime() - started < Duration.ofMillis(PgShardLeases.DEFAULT_LEASE_MS).toNanos(),
        "taken back before the lease ran out");

    String queue = Ids.newId();
    FerryException refused = Futures.failure(before.store.forShard(2).commit(
        new StoreBatch().putQueue(queue(queue)).append(message(queue, 1))), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertEquals(0L, count("SELECT count(*) FROM messaging_queues WHERE queue_id = '" + queue + "'"));
  }

  @Test
  void aCommitOfAShardAnotherInstanceTookWritesNothingWhileTheRestOfItsGroupLands() {
    // One writer: every shard's commits share the groups.
    Instance instance = start(open(PgShardLeases.DEFAULT_LEASE_MS, 1));
    waitAtMost(WAIT).until(() -> instance.owned().size() == SHARDS);
    String held = Ids.newId();
    String taken = Ids.newId();
    String kept = Ids.newId();
    PgMessageStore store = instance.store;
    Futures.await(store.forShard(5).commit(new StoreBatch().putQueue(queue(held))), WAIT);
    SqlConnection locker = pg.lockQueueRow(held);
    Future<Void> inFlight = store.forShard(5).commit(new StoreBatch().putQueue(queue(held)).append(message(held, 1)));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);
    Future<Void> ofTaken = store.forShard(3).commit(new StoreBatch().putQueue(queue(taken)).append(message(taken, 1)));
    Future<Void> ofKept = store.forShard(4).commit(new StoreBatch().putQueue(queue(kept)).append(message(kept, 1)));

    // What another instance's claim of shard 3 does, unseen by this one.
    Futures.await(pg.observer.query("UPDATE messaging_shard_leases SET epoch = epoch + 1, owner = 'another',"
        + " expires_at = now() + interval '1 minute' WHERE shard = 3").execute(), WAIT);
    Futures.await(locker.query("COMMIT").execute().eventually(locker::close), WAIT);

    Futures.await(inFlight, WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(ofTaken, WAIT).code());
    Futures.await(ofKept, WAIT);
    assertEquals(List.of(), pg.stored(taken));
    assertEquals(0L, count("SELECT count(*) FROM messaging_queues WHERE queue_id = '" + taken + "'"));
    assertEquals(List.of(1L), pg.stored(kept));
    waitAtMost(WAIT).until(() -> instance.lost.equals(Set.of(3)));
    assertFalse(instance.ownership.owns(3));
    FerryException refused = Futures.failure(store.forShard(3).commit(new StoreBatch().append(message(taken, 2))),
        WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertTrue(refused.getMessage().contains("does not own shard 3"), refused.getMessage());
  }

  @Test
  void aClaimWaitsForTheShardsTransactionsInFlightWhileARenewalDoesNotAndThenTheShardCommitsNothing() {
    Instance instance = start(open(PgShardLeases.DEFAULT_LEASE_MS));
    waitAtMost(WAIT).until(() -> instance.owned().size() == SHARDS);
    String queue = Ids.newId();
    PgMessageStore store = instance.store;
    Futures.await(store.forShard(0).commit(new StoreBatch().putQueue(queue(queue)).append(message(queue, 1))), WAIT);
    SqlConnection locker = pg.lockQueueRow(queue);
    Future<Void> held = store.forShard(0).commit(new StoreBatch().putQueue(queue(queue)).append(message(queue, 2)));
    waitAtMost(WAIT).until(() -> pg.blockedBy(PgSchemaUnderTest.pid(locker)) == 1);

    Futures.await(pg.observer.query("UPDATE messaging_shard_leases SET expires_at = now() + interval '1 minute'"
        + " WHERE shard = 0").execute(), WAIT);
    SqlConnection taker = Futures.await(pg.observer.getConnection(), WAIT);
    int takerPid = PgSchemaUnderTest.pid(taker);
    Future<?> claim = taker.query("UPDATE messaging_shard_leases SET epoch = epoch + 1, owner = 'another'"
        + " WHERE shard = 0").execute();
    waitAtMost(WAIT).until(() -> pg.waits(takerPid));
    assertFalse(claim.isComplete(), "a claim waits for the transactions that passed the fence");

    Futures.await(locker.query("COMMIT").execute().eventually(locker::close), WAIT);
    Futures.await(held, WAIT);
    Futures.await(claim.eventually(taker::close), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(0).commit(new StoreBatch().append(message(queue, 3))), WAIT).code());
    assertEquals(List.of(1L, 2L), pg.stored(queue));
    Futures.await(store.forShard(1).commit(new StoreBatch().putQueue(queue(Ids.newId()))), WAIT);
  }

  @Test
  void aRenewalThatFindsAShardUnderAnotherEpochLosesItAndLeavesItToItsNewOwner() {
    Instance instance = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> instance.owned().size() == SHARDS);

    Futures.await(pg.observer.query("UPDATE messaging_shard_leases SET epoch = epoch + 1, owner = 'another',"
        + " expires_at = now() + interval '1 minute' WHERE shard = 2").execute(), WAIT);

    waitAtMost(WAIT).until(() -> instance.lost.equals(Set.of(2)));
    assertFalse(instance.ownership.owns(2));
    assertEquals(SHARDS - 1, instance.owned().size());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(instance.store.forShard(2)
        .commit(new StoreBatch().putQueue(queue(Ids.newId()))), WAIT).code());
  }

  @Test
  void commitsBeforeOwnershipOrOutsideAShardWithoutEveryShardAreRefusedUnsent() {
    PgMessageStore store = open(LEASE_MS);
    String queue = Ids.newId();
    assertEquals(ErrorCode.UNAVAILABLE,
        Futures.failure(store.forShard(0).commit(new StoreBatch().putQueue(queue(queue))), WAIT).code());
    assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT)
        .code());

    Instance first = start(store);
    Instance second = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);
    FerryException refused = Futures.failure(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertTrue(refused.getMessage().contains("needs every shard"), refused.getMessage());
    assertEquals(0L, count("SELECT count(*) FROM messaging_queues"));
  }

  @Test
  void aThirdInstanceJoiningMakesTheOthersReleaseDownToTheirShare() {
    Instance first = start(open(LEASE_MS));
    Instance second = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);

    Instance third = start(open(LEASE_MS));

    // ceil(16 / 3) = 6 each at most: the first two give up 2 each, which the third takes.
    waitAtMost(WAIT).until(() -> first.owned().size() == 6 && second.owned().size() == 6
        && third.owned().size() == 4);
    Set<Integer> all = new TreeSet<>(first.owned());
    all.addAll(second.owned());
    all.addAll(third.owned());
    assertEquals(SHARDS, all.size(), "every shard has exactly one owner");
    assertEquals(Set.of(), first.lost);
    assertEquals(Set.of(), second.lost);
  }

  @Test
  void anInstanceJoiningTakesItsShareFromTheOtherOneShardAStepSoThatNoLoadOutlastsTheForwardWait() {
    Instance first = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS);

    Instance second = start(open(LEASE_MS));

    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);
    // 16 shards: a sixteenth is one a step, each asked for once the one before was given up.
    assertEquals(SHARDS / 2, first.releasings.size(), first.releasings::toString);
    first.releasings.forEach(step -> assertEquals(1, step.size(), first.releasings::toString));
  }

  @Test
  void aRebalanceGivesItsNextStepUpOnlyOnceTheLastOneServesAtItsNewOwner() {
    Instance first = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS);

    // Loads longer than a round (a third of the lease): without waiting, the next step would follow meanwhile.
    Instance second = start(open(LEASE_MS), Duration.ofMillis(LEASE_MS * 2 / 3));

    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);
    assertEquals(SHARDS / 2, first.releasings.size(), first.releasings::toString);
    for (int step = 1; step < first.releasings.size(); step++) {
      long asked = first.releasingAt.get(step);
      for (int shard : first.releasings.get(step - 1)) {
        Long served = second.servedAt.get(shard);
        assertTrue(served != null && served < asked, "step " + step + " was asked for before shard " + shard
            + " of the step before served at its new owner");
      }
    }
  }

  @Test
  void aStepThatNeverServesElsewhereHoldsTheRebalanceUpForTwoLeasesAtMost() {
    Instance first = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS);

    // It gains and never says it serves, as an instance that died loading or whose word was lost.
    Instance second = start(open(LEASE_MS), null);

    waitAtMost(WAIT).until(() -> first.releasings.size() >= 3);
    for (int step = 1; step < 3; step++) {
      long gap = first.releasingAt.get(step) - first.releasingAt.get(step - 1);
      assertTrue(gap >= 2 * LEASE_MS * 1_000_000, "step " + step + " followed the one before after "
          + gap / 1_000_000 + " ms with nothing heard to serve it");
    }
    for (int step = 0; step < 2; step++) {
      assertTrue(second.gainedAt.keySet().containsAll(first.releasings.get(step)),
          "the second instance gained step " + step + ": " + second.gainedAt.keySet());
    }
  }

  @Test
  void aRetiringInstanceLeavesTheCountButKeepsRenewingWhatItHasNotGivenUpWhichTheOthersThenTake() {
    Instance first = start(open(LEASE_MS));
    Instance second = start(open(LEASE_MS));
    waitAtMost(WAIT).until(() -> first.owned().size() == SHARDS / 2 && second.owned().size() == SHARDS / 2);
    assertEquals(1, second.ownership.stopStep(), "a sixteenth of 16 shards a step while another instance runs");

    Futures.await(second.ownership.retire(), WAIT);

    assertEquals(1L, count("SELECT count(*) FROM messaging_instances"));
    // Two leases on, its shards are still its own: renewed, not run out and taken by the first.
    Set<Integer> kept = second.owned();
    await().during(Duration.ofMillis(2 * LEASE_MS)).atMost(WAIT)
        .until(() -> second.owned().equals(kept) && first.owned().size() == SHARDS / 2);
    int shard = kept.iterator().next();
    Futures.await(second.ownership.release(shard), WAIT);
    first.ownership.claimSoon();
    // Its share is every shard now: it takes what the retiring one gave up.
    waitAtMost(WAIT).until(() -> first.owned().contains(shard));
    assertEquals(Set.of(), second.lost);
  }

  @Test
  void aStopStepWhoseShardsNobodySaysItServesEndsAfterItsBound() {
    Instance alone = start(open(LEASE_MS));
    assertEquals(Integer.MAX_VALUE, alone.ownership.stopStep(), "alone, a stop gives every shard up at once");
    // What it said it serves itself is said before the step begins.
    waitAtMost(WAIT).until(() -> alone.servedAt.size() == SHARDS);
    long started = System.nanoTime();

    Futures.await(alone.ownership.takenOverElsewhere(Set.of(1, 2)), WAIT);

    assertTrue(System.nanoTime() - started >= LEASE_MS * 1_000_000, "the step waited its bound (the lease)");
  }

  @Test
  void anInstanceConfiguredWithAnotherShardCountRefusesToStart() {
    start(open(LEASE_MS));
    PgMessageStore other = open(LEASE_MS);

    FerryException refused = Futures.failure(other.shardOwnership(8).start(PgSchemaUnderTest.ALONE), WAIT);

    assertTrue(refused.getMessage().contains("messaging.shards is 8")
        && refused.getMessage().contains("set messaging.shards=16"), refused.getMessage());
    assertEquals(1L, count("SELECT count(*) FROM messaging_deployment"));
    assertEquals((long) SHARDS, count("SELECT count(*) FROM messaging_shard_leases"));
  }

  /**
   * A messaging instance's side of the leases, as the engine uses them: a release follows every releasing, and
   * a gained shard serves after its load, which every instance hears.
   */
  private final class Instance implements ShardOwnership.Listener {
    final PgMessageStore store;
    final ShardOwnership ownership;
    // null: never says it serves what it gained.
    final Duration load;
    final Set<Integer> released = ConcurrentHashMap.newKeySet();
    final List<Set<Integer>> releasings = new CopyOnWriteArrayList<>();
    final List<Long> releasingAt = new CopyOnWriteArrayList<>();
    final Map<Integer, Long> servedAt = new ConcurrentHashMap<>();
    final Set<Integer> lost = ConcurrentHashMap.newKeySet();
    final Map<Integer, Long> gainedAt = new ConcurrentHashMap<>();
    final Map<Integer, Long> lostAt = new ConcurrentHashMap<>();

    Instance(PgMessageStore store, Duration load) {
      this.store = store;
      this.ownership = store.shardOwnership(SHARDS);
      this.load = load;
    }

    Set<Integer> owned() {
      Set<Integer> owned = new TreeSet<>();
      IntStream.range(0, SHARDS).filter(ownership::owns).forEach(owned::add);
      return owned;
    }

    @Override
    public void gained(Set<Integer> shards) {
      long now = System.nanoTime();
      shards.forEach(shard -> gainedAt.put(shard, now));
      if (load != null) {
        pg.vertx.setTimer(Math.max(1, load.toMillis()), id -> shards.forEach(this::serves));
      }
    }

    private void serves(int shard) {
      servedAt.put(shard, System.nanoTime());
      cluster.forEach(instance -> instance.ownership.takenOver(shard));
    }

    @Override
    public void releasing(Set<Integer> shards) {
      releasingAt.add(System.nanoTime());
      releasings.add(Set.copyOf(shards));
      released.addAll(shards);
      shards.forEach(ownership::release);
    }

    @Override
    public void lost(Set<Integer> shards) {
      long now = System.nanoTime();
      shards.forEach(shard -> lostAt.put(shard, now));
      lost.addAll(shards);
    }
  }

  private PgMessageStore open(long leaseMs) {
    return open(leaseMs, Integer.MAX_VALUE);
  }

  private PgMessageStore open(long leaseMs, int writers) {
    return open(leaseMs, writers, null);
  }

  private PgMessageStore open(long leaseMs, int writers, String name) {
    PgMessageStore store = Futures.await(PgMessageStore.open(pg.vertx, pg.config,
        PgMessageStore.DEFAULT_BODY_CACHE_BYTES, writers, 4, leaseMs, name), WAIT);
    opened.add(store);
    return store;
  }

  private Instance start(PgMessageStore store) {
    return start(store, Duration.ZERO);
  }

  private Instance start(PgMessageStore store, Duration load) {
    Instance instance = new Instance(store, load);
    cluster.add(instance);
    Futures.await(instance.ownership.start(instance), WAIT);
    return instance;
  }

  private static boolean disjoint(Set<Integer> one, Set<Integer> other) {
    return one.stream().noneMatch(other::contains);
  }

  private long count(String sql) {
    return Futures.await(pg.observer.query(sql).execute(), WAIT).iterator().next().getLong(0);
  }
}

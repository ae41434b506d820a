package io.ferry.messaging.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What the body cache holds: the latest durable appends within its bound, never what storage no longer has. */
class BodyCacheTest {

  private final String queue = Ids.newId();
  private final String other = Ids.newId();

  @Test
  void whenFullTheOldestAppendsMakeRoomForTheNewest() {
    long oneMessage = weightOfOne();
    BodyCache cache = new BodyCache(oneMessage * 10);
    StoreBatch appends = new StoreBatch();
    LongStream.rangeClosed(1, 25).forEach(sequence -> appends.append(message(queue, sequence)));
    cache.written(appends);

    assertEquals(LongStream.rangeClosed(16, 25).boxed().toList(), held(cache, queue, 1, 30));
    assertEquals(oneMessage * 10, cache.heldBytes());
  }

  @Test
  void ageIsAcrossQueuesAndAReplacedAppendIsYoungAgain() {
    BodyCache cache = new BodyCache(weightOfOne() * 3);
    cache.written(new StoreBatch().append(message(queue, 1)).append(message(other, 1)).append(message(queue, 2)));
    cache.written(new StoreBatch().append(message(queue, 1)));
    cache.written(new StoreBatch().append(message(other, 2)));

    assertEquals(List.of(1L, 2L), held(cache, queue, 1, 5));
    assertEquals(List.of(2L), held(cache, other, 1, 5));
  }

  @Test
  void deletesLeaveAtOnceAndTheirRoomGoesToLaterAppends() {
    BodyCache cache = new BodyCache(weightOfOne() * 10);
    StoreBatch appends = new StoreBatch();
    LongStream.rangeClosed(1, 8).forEach(sequence -> appends.append(message(queue, sequence)));
    appends.append(message(other, 1)).append(message(other, 2));
    cache.written(appends);

    cache.written(new StoreBatch().deleteMessage(queue, 8).deleteMessagesThrough(queue, 3).deleteQueue(other));
    assertEquals(List.of(4L, 5L, 6L, 7L), held(cache, queue, 1, 10));
    assertEquals(List.of(), held(cache, other, 1, 10));
    assertEquals(weightOfOne() * 4, cache.heldBytes());

    StoreBatch later = new StoreBatch();
    LongStream.rangeClosed(9, 14).forEach(sequence -> later.append(message(queue, sequence)));
    cache.written(later);
    assertEquals(List.of(4L, 5L, 6L, 7L, 9L, 10L, 11L, 12L, 13L, 14L), held(cache, queue, 1, 20));
  }

  @Test
  void aBatchNotWrittenLeavesNeitherItsAppendsNorWhatItWouldHaveDeleted() {
    BodyCache cache = new BodyCache(weightOfOne() * 10);
    cache.written(new StoreBatch().append(message(queue, 1)).append(message(queue, 2)));

    cache.notWritten(new StoreBatch().deleteMessage(queue, 1).append(message(queue, 3)));
    assertEquals(List.of(2L), held(cache, queue, 1, 5));
    assertEquals(weightOfOne(), cache.heldBytes());
  }

  @Test
  void aMessageLargerThanTheBoundIsNotHeldAndEvictsNothing() {
    BodyCache cache = new BodyCache(weightOfOne() * 2);
    cache.written(new StoreBatch().append(message(queue, 1)));
    cache.written(new StoreBatch().append(new StoredMessage(Ids.newId(), queue, 2, null, ContentType.BYTES,
        new byte[(int) weightOfOne() * 3], 1, 1)));

    assertEquals(List.of(1L), held(cache, queue, 1, 5));
  }

  @Test
  void whatIsNotHeldIsListedAsMissingInTheOrderAsked() {
    BodyCache cache = new BodyCache(weightOfOne() * 10);
    cache.written(new StoreBatch().append(message(queue, 2)).append(message(queue, 4)));
    List<Long> missing = new ArrayList<>();
    Map<Long, StoredMessage> found = cache.get(queue, List.of(5L, 4L, 1L, 2L, 3L), missing);

    assertEquals(List.of(5L, 1L, 3L), missing);
    assertEquals(List.of(2L, 4L), new ArrayList<>(new TreeMap<>(found).keySet()));
    assertEquals(List.of(4L, 2L), BodyCache.inAskedOrder(List.of(5L, 4L, 1L, 2L, 3L), found).stream()
        .map(StoredMessage::sequence).toList());
  }

  @Test
  void deletedMessagesAreNotKeptAliveByTheAgeOrderWhenTheOldestStaysUnacked() {
    BodyCache cache = new BodyCache(Long.MAX_VALUE);
    cache.written(new StoreBatch().append(message(queue, 1)));
    for (long sequence = 2; sequence <= 10_000; sequence++) {
      cache.written(new StoreBatch().append(message(queue, sequence)));
      cache.written(new StoreBatch().deleteMessage(queue, sequence));
      assertTrue(cache.goneStillReferenced() <= 1 + 64 + 1, "after " + sequence + ": " + cache.goneStillReferenced());
    }
    assertEquals(List.of(1L), held(cache, queue, 1, 10_000));
    assertEquals(weightOfOne(), cache.heldBytes());
  }

  @Test
  void deletedBodiesStillReferencedNeverWeighMoreThanAQuarterOfTheBound() {
    long one = weightOfOne();
    BodyCache cache = new BodyCache(one * 1_000);
    StoreBatch small = new StoreBatch();
    LongStream.rangeClosed(1, 500).forEach(sequence -> small.append(message(queue, sequence)));
    cache.written(small);
    for (long sequence = 501; sequence <= 600; sequence++) {
      // A tenth of the bound each: too few to outnumber the 500 held, so only their weight can call a sweep.
      cache.written(new StoreBatch().append(new StoredMessage(String.format("%032x", sequence), queue, sequence,
          null, ContentType.BYTES, new byte[(int) (one * 100 - one + 100)], 1, 1)));
      cache.written(new StoreBatch().deleteMessage(queue, sequence));
      assertTrue(cache.goneStillReferenced() <= 2, "after " + sequence + ": " + cache.goneStillReferenced());
    }
    assertEquals(one * 500, cache.heldBytes());
  }

  @Test
  void anAppendBelowTheHighestHeldIsHeldInItsPlace() {
    BodyCache cache = new BodyCache(weightOfOne() * 10);
    cache.written(new StoreBatch().append(message(queue, 5)).append(message(queue, 9)));
    cache.written(new StoreBatch().append(message(queue, 7)).append(message(queue, 1)).append(message(queue, 9)));

    assertEquals(List.of(1L, 5L, 7L, 9L), held(cache, queue, 1, 10));
    cache.written(new StoreBatch().deleteMessagesThrough(queue, 6));
    assertEquals(List.of(7L, 9L), held(cache, queue, 1, 10));
    assertEquals(weightOfOne() * 2, cache.heldBytes());
  }

  /** Random appends, deletes and failed batches over a few queues, against the plainest cache that could be. */
  @Test
  void holdsWhatAPlainLeastRecentlyAppendedCacheWouldHold() {
    Random random = new Random(42);
    long one = weightOfOne();
    for (int round = 0; round < 20; round++) {
      long capacity = one * (1 + random.nextInt(300));
      BodyCache cache = new BodyCache(capacity);
      Map<String, Long> heads = new HashMap<>();
      LinkedHashMap<String, StoredMessage> model = new LinkedHashMap<>();
      List<String> queues = List.of(queue, other, Ids.newId());
      for (int step = 0; step < 3_000; step++) {
        String queueId = queues.get(random.nextInt(queues.size()));
        long head = heads.getOrDefault(queueId, 0L);
        StoreBatch batch = new StoreBatch();
        int kind = random.nextInt(100);
        if (kind < 60) {
          long sequence = random.nextInt(10) == 0 && head > 0 ? 1 + random.nextInt((int) head) : ++head;
          heads.put(queueId, head);
          batch.append(message(queueId, sequence));
        } else if (kind < 85) {
          batch.deleteMessage(queueId, 1 + random.nextInt((int) Math.max(1, head)));
        } else if (kind < 95) {
          batch.deleteMessagesThrough(queueId, random.nextInt((int) Math.max(1, head)));
        } else {
          batch.deleteQueue(queueId);
        }
        boolean written = random.nextInt(10) != 0;
        if (written) {
          cache.written(batch);
        } else {
          cache.notWritten(batch);
        }
        applyToModel(model, batch, written, capacity);
        assertEquals(model.values().stream().mapToLong(m -> weightOf(m)).sum(), cache.heldBytes(), "step " + step);
      }
      for (String queueId : queues) {
        List<Long> expected = model.values().stream().filter(m -> m.queueId().equals(queueId))
            .map(StoredMessage::sequence).sorted().toList();
        assertEquals(expected, held(cache, queueId, 0, heads.getOrDefault(queueId, 0L) + 1));
      }
    }
  }

  private void applyToModel(LinkedHashMap<String, StoredMessage> model, StoreBatch batch, boolean written,
      long capacity) {
    for (StoreBatch.Mutation mutation : batch.mutations()) {
      if (mutation instanceof StoreBatch.AppendMessage append) {
        StoredMessage message = append.message();
        model.remove(message.queueId() + "/" + message.sequence());
        if (written) {
          long held = model.values().stream().mapToLong(m -> weightOf(m)).sum();
          for (var oldest = model.values().iterator(); held + weightOf(message) > capacity && oldest.hasNext(); ) {
            held -= weightOf(oldest.next());
            oldest.remove();
          }
          model.put(message.queueId() + "/" + message.sequence(), message);
        }
      } else if (mutation instanceof StoreBatch.DeleteMessage delete) {
        model.remove(delete.queueId() + "/" + delete.sequence());
      } else if (mutation instanceof StoreBatch.DeleteMessagesThrough delete) {
        model.values().removeIf(m -> m.queueId().equals(delete.queueId()) && m.sequence() <= delete.lastSequence());
      } else if (mutation instanceof StoreBatch.DeleteQueue delete) {
        model.values().removeIf(m -> m.queueId().equals(delete.queueId()));
      }
    }
  }

  private long weightOf(StoredMessage message) {
    BodyCache probe = new BodyCache(Long.MAX_VALUE);
    probe.written(new StoreBatch().append(message));
    return probe.heldBytes();
  }

  private static List<Long> held(BodyCache cache, String queueId, long from, long to) {
    List<Long> all = LongStream.rangeClosed(from, to).boxed().toList();
    List<Long> missing = new ArrayList<>();
    List<Long> held = new ArrayList<>(new TreeMap<>(cache.get(queueId, all, missing)).keySet());
    assertTrue(held.size() + missing.size() == all.size());
    return held;
  }

  private long weightOfOne() {
    BodyCache probe = new BodyCache(Long.MAX_VALUE);
    probe.written(new StoreBatch().append(message(queue, 1)));
    return probe.heldBytes();
  }

  private static StoredMessage message(String queueId, long sequence) {
    // Ids of one length, so that every message weighs the same.
    return new StoredMessage(String.format("%032x", sequence), queueId, sequence, null, ContentType.TEXT,
        new byte[100], 1, 1);
  }
}

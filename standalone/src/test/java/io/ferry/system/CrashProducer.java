package io.ferry.system;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One producer of a crash test: pushes unique bodies {@code {"p": producer, "n": n}} in batches (and now and
 * then singly) until told to stop, recording each push as answered, never sent (connection refused) or in doubt. Connection errors
 * while Ferry is down are expected: it waits a moment and goes on with new messages.
 */
final class CrashProducer {

  private static final long PAUSE_MS = 20;

  private final QueueClient queue;
  private final MessageLedger ledger;
  private final int producer;
  private final CrashLoadDriver.Plan plan;
  private final AtomicBoolean producing;

  CrashProducer(QueueClient queue, MessageLedger ledger, int producer, CrashLoadDriver.Plan plan,
      AtomicBoolean producing) {
    this.queue = queue;
    this.ledger = ledger;
    this.producer = producer;
    this.plan = plan;
    this.producing = producing;
  }

  void run() throws InterruptedException {
    long next = 0;
    for (long request = 0; producing.get(); request++) {
      while (ledger.outstanding() > plan.maxOutstanding() && producing.get()) {
        Thread.sleep(5);
      }
      boolean single = plan.singleEvery() > 0 && request % plan.singleEvery() == 0;
      int count = single ? 1 : plan.pushBatch();
      List<Long> keys = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        keys.add(QueueClient.key(producer, next++));
      }
      ledger.sending(keys, System.nanoTime());
      try {
        int status = single ? queue.push(keys.get(0)) : queue.pushBatch(keys);
        ledger.pushAnswered(keys, status, System.nanoTime());
        if (status != 200) {
          Thread.sleep(PAUSE_MS);
        }
      } catch (IOException e) {
        if (QueueClient.neverSent(e)) {
          ledger.pushNotSent(keys);
        } else {
          ledger.pushInDoubt();
        }
        Thread.sleep(PAUSE_MS);
      }
    }
  }
}

package io.ferry.system;

import io.ferry.system.MessageLedger.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer of a crash test: pulls with a short visibility timeout and, per message, acks (most), retries
 * (a few) or leaves the lease to expire (a few); now and then it acks a batch only after its visibility
 * timeout has passed. Every delivery and the answer to its ack or retry go into the ledger; a call whose
 * answer never arrived is recorded as in doubt.
 */
final class CrashConsumer {

  private static final double LEAVE_TO_EXPIRE = 0.03;
  private static final double RETRY = 0.03;
  private static final int WAIT_MS = 500;
  private static final long PAUSE_MS = 20;

  private final QueueClient queue;
  private final MessageLedger ledger;
  private final CrashLoadDriver.Plan plan;
  private final AtomicBoolean consuming;
  private final AtomicLong pulls;

  CrashConsumer(QueueClient queue, MessageLedger ledger, CrashLoadDriver.Plan plan, AtomicBoolean consuming,
      AtomicLong pulls) {
    this.queue = queue;
    this.ledger = ledger;
    this.plan = plan;
    this.consuming = consuming;
    this.pulls = pulls;
  }

  void run() throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (consuming.get()) {
      long pullStart = System.nanoTime();
      int kills = ledger.kills();
      QueueClient.PullReply reply;
      try {
        reply = queue.pull(plan.pullBatch(), plan.visibilityMs(), WAIT_MS);
      } catch (IOException inDoubt) {
        ledger.pullRequestsFailed.incrementAndGet();
        Thread.sleep(PAUSE_MS);
        continue;
      }
      long pullEnd = System.nanoTime();
      pulls.incrementAndGet();
      if (reply.status() != 200) {
        ledger.errorStatus(reply.status());
        Thread.sleep(PAUSE_MS);
        continue;
      }
      List<Leased> acks = new ArrayList<>();
      List<Leased> retries = new ArrayList<>();
      for (QueueClient.Pulled pulled : reply.messages()) {
        Leased leased = new Leased(pulled, ledger.delivered(pulled.key(), pullStart, pullEnd, kills,
            plan.visibilityMs(), pulled.attempts(), false));
        double choice = random.nextDouble();
        if (choice < LEAVE_TO_EXPIRE) {
          ledger.resolved(pulled.key(), leased.delivery(), Outcome.LEFT_TO_EXPIRE, 0, 0);
        } else if (choice < LEAVE_TO_EXPIRE + RETRY) {
          retries.add(leased);
        } else {
          acks.add(leased);
        }
      }
      if (!acks.isEmpty() && random.nextInt(plan.lateAckEvery()) == 0) {
        Thread.sleep(plan.visibilityMs() + 300L);
      }
      if (!acks.isEmpty() || !retries.isEmpty()) {
        resolve(acks, retries);
      }
    }
  }

  private void resolve(List<Leased> acks, List<Leased> retries) throws InterruptedException {
    long sent = System.nanoTime();
    QueueClient.AckReply reply;
    try {
      reply = queue.ack(acks.stream().map(Leased::leaseId).toList(), retries.stream().map(Leased::leaseId).toList(),
          0);
    } catch (IOException e) {
      long answered = System.nanoTime();
      boolean neverSent = QueueClient.neverSent(e);
      acks.forEach(l -> ledger.resolved(l.key(), l.delivery(),
          neverSent ? Outcome.ACK_FAILED : Outcome.ACK_IN_DOUBT, sent, answered));
      retries.forEach(l -> ledger.resolved(l.key(), l.delivery(),
          neverSent ? Outcome.RETRY_FAILED : Outcome.RETRY_IN_DOUBT, sent, answered));
      Thread.sleep(PAUSE_MS);
      return;
    }
    long answered = System.nanoTime();
    if (reply.status() != 200) {
      ledger.errorStatus(reply.status());
      // A 504 may have settled the leases all the same: in doubt, like an ack whose answer never came.
      boolean inDoubt = MessageLedger.answeredInDoubt(reply.status());
      acks.forEach(l -> ledger.resolved(l.key(), l.delivery(),
          inDoubt ? Outcome.ACK_IN_DOUBT : Outcome.ACK_FAILED, sent, answered));
      retries.forEach(l -> ledger.resolved(l.key(), l.delivery(),
          inDoubt ? Outcome.RETRY_IN_DOUBT : Outcome.RETRY_FAILED, sent, answered));
      return;
    }
    long ackedLeases = acks.stream().filter(l -> !reply.refusedLeases().contains(l.leaseId())).count();
    if (reply.ackCount() != ackedLeases) {
      ledger.ackCountMismatches.incrementAndGet();
    }
    for (Leased l : acks) {
      ledger.resolved(l.key(), l.delivery(),
          reply.refusedLeases().contains(l.leaseId()) ? Outcome.ACK_REFUSED : Outcome.ACKED, sent, answered);
    }
    for (Leased l : retries) {
      ledger.resolved(l.key(), l.delivery(),
          reply.refusedLeases().contains(l.leaseId()) ? Outcome.RETRY_REFUSED : Outcome.RETRIED, sent, answered);
    }
  }

  private record Leased(QueueClient.Pulled pulled, MessageLedger.Delivery delivery) {

    long key() {
      return pulled.key();
    }

    String leaseId() {
      return pulled.leaseId();
    }
  }
}

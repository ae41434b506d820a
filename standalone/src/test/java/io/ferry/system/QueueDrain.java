package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/**
 * The end of a crash or failover test for one queue: pulls until the queue stays empty past every visibility
 * timeout its consumers used, acks all it gets, and records each drained delivery in the ledger, so that the
 * verdict can tell a message still retained from one lost.
 */
final class QueueDrain {

  static final int VISIBILITY_MS = 60_000;

  private QueueDrain() {
  }

  /** Drains {@code queue} into {@code ledger}; returns how many messages it acked. */
  static long drain(QueueClient queue, MessageLedger ledger, int consumersVisibilityMs) throws Exception {
    long drained = 0;
    int emptyRounds = 0;
    while (emptyRounds < 2) {
      long t0 = System.nanoTime();
      int kills = ledger.kills();
      QueueClient.PullReply reply = queue.pull(100, VISIBILITY_MS, 0);
      long t1 = System.nanoTime();
      assertEquals(200, reply.status(), () -> "drain pull: " + reply);
      if (reply.messages().isEmpty()) {
        emptyRounds++;
        Thread.sleep(consumersVisibilityMs + 1_500L);
        continue;
      }
      emptyRounds = 0;
      List<MessageLedger.Delivery> deliveries = new ArrayList<>();
      List<String> leases = new ArrayList<>();
      for (QueueClient.Pulled pulled : reply.messages()) {
        deliveries.add(ledger.delivered(pulled.key(), t0, t1, kills, VISIBILITY_MS, pulled.attempts(), true));
        leases.add(pulled.leaseId());
      }
      long sent = System.nanoTime();
      QueueClient.AckReply acked = queue.ack(leases, List.of(), 0);
      long answered = System.nanoTime();
      assertEquals(200, acked.status(), () -> "drain ack: " + acked);
      for (int i = 0; i < leases.size(); i++) {
        MessageLedger.Outcome outcome = acked.refusedLeases().contains(leases.get(i))
            ? MessageLedger.Outcome.ACK_REFUSED : MessageLedger.Outcome.ACKED;
        ledger.resolved(reply.messages().get(i).key(), deliveries.get(i), outcome, sent, answered);
      }
      drained += leases.size();
    }
    return drained;
  }
}

package io.ferry.system;

import io.ferry.system.MessageLedger.Delivery;
import io.ferry.system.MessageLedger.Entry;
import io.ferry.system.MessageLedger.Outcome;
import io.ferry.system.MessageLedger.Push;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Judges a {@link MessageLedger} after the queue was drained:
 * <ul>
 *   <li>lost: pushed with a 200, but neither acked with a 200 nor drained (an ack whose answer never
 *       arrived may have taken effect, so such messages are counted apart, not as lost);</li>
 *   <li>redelivered after ack: a delivery whose pull started after an ack of that message was answered;</li>
 *   <li>stale ack accepted: an ack confirmed for a lease the message had already been leased again past;</li>
 *   <li>phantoms: delivered messages whose push was refused (an error status other than 504, which says the
 *       push was not applied) or never sent; a push answered 504 or not at all is in doubt, its messages
 *       counted apart when delivered ({@code inDoubtPushesSeen}), neither phantom nor lost;</li>
 *   <li>duplicates: each delivery after the first, explained by what became of the one before: retried;
 *       left unacked on purpose (then a kill or its visibility timeout released it); not acked for sure and a
 *       kill came in between ("in flight at a kill"); or, without a kill, its visibility timeout had passed
 *       (late acks refused). A message delivered again after a confirmed ack, or before its lease could have
 *       ended, is unexplained.</li>
 * </ul>
 */
final class CrashVerdict {

  // The server stamps leases with its wall clock, the ledger with nanoTime: allow for scheduling jitter.
  private static final long CLOCK_SLACK_NS = 20_000_000L;
  private static final int EXAMPLES = 8;

  long pushedOk;
  long inDoubtPushesSeen;
  long lost;
  long resolvedOnlyByInDoubtAck;
  long drained;
  long redeliveredAfterAck;
  long staleAcksAccepted;
  long phantoms;
  long duplicates;
  long duplicatesRetried;
  long duplicatesLeftToExpire;
  long duplicatesCrash;
  long duplicatesExpired;
  long duplicatesUnexplained;
  final List<String> examples = new ArrayList<>();

  static CrashVerdict judge(MessageLedger ledger) {
    CrashVerdict verdict = new CrashVerdict();
    for (Entry entry : ledger.entries()) {
      verdict.judge(entry);
    }
    return verdict;
  }

  boolean clean() {
    return lost == 0 && redeliveredAfterAck == 0 && staleAcksAccepted == 0 && phantoms == 0
        && duplicatesUnexplained == 0;
  }

  private void judge(Entry entry) {
    List<Delivery> deliveries = entry.snapshot();
    // Responses come back in the order the server leased (a lease only moves on once the one before was
    // retried, expired or lost to a kill); start order would misplace long polls parked before a retry.
    deliveries.sort(Comparator.comparingLong(d -> d.pullEndNs));
    Push push;
    synchronized (entry) {
      push = entry.push;
    }
    if (push == Push.OK) {
      pushedOk++;
    } else if (push == Push.IN_DOUBT && !deliveries.isEmpty()) {
      inDoubtPushesSeen++;
    } else if ((push == Push.REJECTED || push == Push.NEVER_SENT) && !deliveries.isEmpty()) {
      phantoms++;
      example("phantom", entry);
    }
    boolean acked = deliveries.stream().anyMatch(d -> d.outcome == Outcome.ACKED);
    boolean wasDrained = deliveries.stream().anyMatch(d -> d.drain);
    boolean ackInDoubt = deliveries.stream().anyMatch(d -> d.outcome == Outcome.ACK_IN_DOUBT);
    if (wasDrained) {
      drained++;
    }
    if (push == Push.OK && !acked && !wasDrained) {
      if (ackInDoubt) {
        resolvedOnlyByInDoubtAck++;
      } else {
        lost++;
        example("lost", entry);
      }
    }
    checkAcks(entry, deliveries);
    for (int i = 1; i < deliveries.size(); i++) {
      classifyDuplicate(entry, deliveries.get(i - 1), deliveries.get(i));
    }
  }

  private void checkAcks(Entry entry, List<Delivery> deliveries) {
    for (Delivery ack : deliveries) {
      if (ack.outcome != Outcome.ACKED) {
        continue;
      }
      for (Delivery other : deliveries) {
        if (other == ack) {
          continue;
        }
        if (other.pullStartNs > ack.resolvedNs) {
          redeliveredAfterAck++;
          example("redelivered after ack", entry);
        } else if (other.pullStartNs > ack.pullEndNs && other.pullEndNs < ack.resolveSentNs) {
          staleAcksAccepted++;
          example("ack accepted for a lease already superseded", entry);
        }
      }
    }
  }

  private void classifyDuplicate(Entry entry, Delivery previous, Delivery next) {
    duplicates++;
    boolean killed = next.killsAtEnd > previous.killsAtStart;
    boolean expired = expiredBefore(previous, next) || expiredBefore(next, previous);
    switch (previous.outcome) {
      case RETRIED, RETRY_IN_DOUBT -> duplicatesRetried++;
      case LEFT_TO_EXPIRE -> {
        if (killed || expired) {
          duplicatesLeftToExpire++;
        } else {
          unexplained(entry);
        }
      }
      case ACKED -> unexplained(entry);
      default -> {
        if (killed) {
          duplicatesCrash++;
        } else if (expired) {
          duplicatesExpired++;
        } else {
          unexplained(entry);
        }
      }
    }
  }

  private void unexplained(Entry entry) {
    duplicatesUnexplained++;
    example("unexplained duplicate", entry);
  }


  // Two overlapping pulls may have been leased the other way round: such a pair is explained by expiry in
  // either order.
  private static boolean expiredBefore(Delivery first, Delivery second) {
    boolean ordered = second.pullStartNs >= first.pullStartNs || second.pullEndNs > first.pullStartNs;
    return ordered && second.pullEndNs + CLOCK_SLACK_NS >= first.pullStartNs + first.visibilityMs * 1_000_000L;
  }

  private void example(String what, Entry entry) {
    if (examples.size() < EXAMPLES) {
      examples.add(what + ": " + entry);
    }
  }
}

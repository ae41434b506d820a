package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.system.MessageLedger.Delivery;
import io.ferry.system.MessageLedger.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash tests' judge on hand-made ledgers: each violation it exists for is found, and only those. */
class CrashVerdictTest {

  private static final long MS = 1_000_000L;
  private static final int VISIBILITY_MS = 1_000;

  private final MessageLedger ledger = new MessageLedger();
  private final long t0 = System.nanoTime();

  @Test
  void ackedAndDrainedMessagesAreClean() {
    long acked = pushed(1);
    ack(deliver(acked, 10, 20, false), acked, 30, 40);
    long drained = pushed(2);
    ack(deliver(drained, 50, 60, true), drained, 70, 80);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertTrue(verdict.clean(), verdict.examples::toString);
    assertEquals(2, verdict.pushedOk);
    assertEquals(1, verdict.drained);
  }

  @Test
  void aPushAnswered200ThatNeverShowsUpIsLost() {
    pushed(1);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(1, verdict.lost);
    assertFalse(verdict.clean());
  }

  @Test
  void anInDoubtAckIsNotCountedAsLostButReported() {
    long key = pushed(1);
    Delivery delivery = deliver(key, 10, 20, false);
    ledger.resolved(key, delivery, Outcome.ACK_IN_DOUBT, t0 + 30 * MS, t0 + 40 * MS);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(0, verdict.lost);
    assertEquals(1, verdict.resolvedOnlyByInDoubtAck);
  }

  @Test
  void aPullAfterAnAnsweredAckIsARedeliveryAfterAck() {
    long key = pushed(1);
    ack(deliver(key, 10, 20, false), key, 30, 40);
    ack(deliver(key, 50, 60, true), key, 70, 80);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(1, verdict.redeliveredAfterAck);
    assertFalse(verdict.clean());
  }

  @Test
  void anAckAcceptedAfterTheMessageWasLeasedAgainIsStale() {
    long key = pushed(1);
    Delivery first = deliver(key, 10, 20, false);
    deliver(key, 2_000, 2_010, false);
    ack(first, key, 2_100, 2_110);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(1, verdict.staleAcksAccepted);
    assertFalse(verdict.clean());
  }

  @Test
  void duplicatesAreExplainedByRetryKillOrExpiryAndOtherwiseNot() {
    long retried = pushed(1);
    ledger.resolved(retried, deliver(retried, 10, 20, false), Outcome.RETRIED, t0 + 30 * MS, t0 + 40 * MS);
    ack(deliver(retried, 50, 60, false), retried, 70, 80);

    long expired = pushed(2);
    ledger.resolved(expired, deliver(expired, 10, 20, false), Outcome.LEFT_TO_EXPIRE, 0, 0);
    ack(deliver(expired, 10 + VISIBILITY_MS, 20 + VISIBILITY_MS, false), expired, 1_100, 1_110);

    long late = pushed(3);
    ledger.resolved(late, deliver(late, 10, 20, false), Outcome.ACK_REFUSED, t0 + 1_100 * MS, t0 + 1_110 * MS);
    ack(deliver(late, 10 + VISIBILITY_MS, 20 + VISIBILITY_MS, false), late, 1_120, 1_130);

    long killed = pushed(4);
    deliver(killed, 10, 20, false);
    long ackedThenKilled = pushed(5);
    ack(deliver(ackedThenKilled, 10, 20, false), ackedThenKilled, 30, 40);
    ledger.killed();
    ack(deliver(killed, 100, 110, false), killed, 120, 130);
    ack(deliver(ackedThenKilled, 100, 110, false), ackedThenKilled, 120, 130);

    long early = pushed(6);
    ledger.resolved(early, deliver(early, 10, 20, false), Outcome.LEFT_TO_EXPIRE, 0, 0);
    ack(deliver(early, 200, 210, false), early, 220, 230);

    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(6, verdict.duplicates);
    assertEquals(1, verdict.duplicatesRetried);
    assertEquals(1, verdict.duplicatesLeftToExpire);
    assertEquals(1, verdict.duplicatesExpired);
    assertEquals(1, verdict.duplicatesCrash);
    assertEquals(2, verdict.duplicatesUnexplained, verdict.examples::toString);
    assertEquals(1, verdict.redeliveredAfterAck);
    assertFalse(verdict.clean());
  }

  @Test
  void aLongPollParkedBeforeARetryIsExplainedByThatRetry() {
    long key = pushed(1);
    Delivery parked = deliver(key, 0, 95, false);
    ledger.resolved(key, deliver(key, 10, 20, false), Outcome.RETRIED, t0 + 20 * MS, t0 + 90 * MS);
    ack(parked, key, 100, 110);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(1, verdict.duplicatesRetried);
    assertTrue(verdict.clean(), verdict.examples::toString);
  }

  @Test
  void aMessageWhosePushConnectionWasRefusedMustNeverAppear() {
    long key = QueueClient.key(1, 7);
    ledger.sending(List.of(key), t0);
    ledger.pushNotSent(List.of(key));
    assertTrue(CrashVerdict.judge(ledger).clean());
    deliver(key, 10, 20, false);
    assertEquals(1, CrashVerdict.judge(ledger).phantoms);
  }

  @Test
  void aDeliveredMessageWhosePushWasRefusedIsAPhantom() {
    long key = QueueClient.key(1, 9);
    ledger.sending(List.of(key), t0);
    ledger.pushAnswered(List.of(key), 429, t0 + MS);
    ack(deliver(key, 10, 20, false), key, 30, 40);
    assertEquals(1, CrashVerdict.judge(ledger).phantoms);
  }

  @Test
  void aDeliveredMessageWhosePushWasAnswered504IsInDoubtNotAPhantom() {
    long key = QueueClient.key(1, 10);
    ledger.sending(List.of(key), t0);
    ledger.pushAnswered(List.of(key), 504, t0 + MS);
    ack(deliver(key, 10, 20, false), key, 30, 40);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(0, verdict.phantoms);
    assertEquals(1, verdict.inDoubtPushesSeen);
    assertTrue(verdict.clean(), verdict.examples::toString);
  }

  @Test
  void aPushAnswered504ThatNeverShowsUpIsNotLost() {
    long key = QueueClient.key(1, 11);
    ledger.sending(List.of(key), t0);
    ledger.pushAnswered(List.of(key), 504, t0 + MS);
    CrashVerdict verdict = CrashVerdict.judge(ledger);
    assertEquals(0, verdict.lost);
    assertTrue(verdict.clean(), verdict.examples::toString);
  }

  @Test
  void a503StillSaysThePushWasNotApplied() {
    long key = QueueClient.key(1, 12);
    ledger.sending(List.of(key), t0);
    ledger.pushAnswered(List.of(key), 503, t0 + MS);
    deliver(key, 10, 20, false);
    assertEquals(1, CrashVerdict.judge(ledger).phantoms);
  }

  @Test
  void pushesAnswered504AreReportedAsInDoubtAndAsFailedRequests() {
    ledger.sending(List.of(QueueClient.key(1, 13), QueueClient.key(1, 14)), t0);
    ledger.pushAnswered(List.of(QueueClient.key(1, 13), QueueClient.key(1, 14)), 504, t0 + MS);
    assertEquals(0, ledger.pushRequestsRejected.get());
    assertEquals(1, ledger.pushRequestsAnsweredInDoubt.get());
    assertEquals(1, ledger.failedRequests());
    assertTrue(ledger.failedRequestsByKind().contains("1 answered 504"), ledger.failedRequestsByKind());
  }

  private long pushed(long n) {
    long key = QueueClient.key(1, n);
    ledger.sending(List.of(key), t0);
    ledger.pushAnswered(List.of(key), 200, t0 + MS);
    return key;
  }

  private Delivery deliver(long key, long startMs, long endMs, boolean drain) {
    return ledger.delivered(key, t0 + startMs * MS, t0 + endMs * MS, ledger.kills(), VISIBILITY_MS, 1, drain);
  }

  private void ack(Delivery delivery, long key, long sentMs, long answeredMs) {
    ledger.resolved(key, delivery, Outcome.ACKED, t0 + sentMs * MS, t0 + answeredMs * MS);
  }
}

package io.ferry.dispatcher.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerdictTest {

  private static final RetryPolicy POLICY = new RetryPolicy(1_000, 10_000, 0.2, () -> 0.5);

  @Test
  void aSuccessIsAckedWhateverTheAttempt() {
    assertEquals(Verdict.ACK, Verdict.of(DeliveryOutcome.fromStatus(200), 1, 3, POLICY));
    assertEquals(Verdict.ACK, Verdict.of(DeliveryOutcome.fromStatus(204), 9, 3, POLICY));
  }

  @Test
  void aFailureIsRetriedOnTheScheduleUntilTheLastAttempt() {
    assertEquals(new Verdict(Verdict.Kind.RETRY, 1_000), Verdict.of(DeliveryOutcome.fromStatus(500), 1, 3, POLICY));
    assertEquals(new Verdict(Verdict.Kind.RETRY, 2_000),
        Verdict.of(DeliveryOutcome.noResponse("timeout"), 2, 3, POLICY));
    assertEquals(Verdict.MISS, Verdict.of(DeliveryOutcome.fromStatus(500), 3, 3, POLICY));
    assertEquals(Verdict.MISS, Verdict.of(DeliveryOutcome.fromStatus(302), 4, 3, POLICY));
  }

  @Test
  void retryAfterReplacesTheBackoffUpToTheCap() {
    assertEquals(new Verdict(Verdict.Kind.RETRY, 0), Verdict.of(DeliveryOutcome.fromResponse(429, "0", 0), 1, 3, POLICY));
    assertEquals(new Verdict(Verdict.Kind.RETRY, 4_000),
        Verdict.of(DeliveryOutcome.fromResponse(503, "4", 0), 1, 3, POLICY));
    assertEquals(new Verdict(Verdict.Kind.RETRY, 10_000),
        Verdict.of(DeliveryOutcome.fromResponse(429, "3600", 0), 1, 3, POLICY));
    assertEquals(Verdict.MISS, Verdict.of(DeliveryOutcome.fromResponse(429, "1", 0), 3, 3, POLICY));
  }

  @Test
  void goneIsGoneEvenOnTheLastAttempt() {
    assertEquals(Verdict.GONE, Verdict.of(DeliveryOutcome.fromStatus(410), 1, 3, POLICY));
    assertEquals(Verdict.GONE, Verdict.of(DeliveryOutcome.fromStatus(410), 3, 3, POLICY));
  }
}

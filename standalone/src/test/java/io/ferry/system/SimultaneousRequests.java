package io.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Sends one request to each of several targets at the same moment, for races between service instances. */
final class SimultaneousRequests implements AutoCloseable {

  /** The request, as sent to one target. */
  interface Request<T> {
    HttpJson.Reply send(T target) throws Exception;
  }

  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** The answers, in the order of {@code targets}; a barrier lets every request go at once. */
  <T> List<HttpJson.Reply> send(List<T> targets, Request<T> request) throws Exception {
    CyclicBarrier start = new CyclicBarrier(targets.size());
    List<CompletableFuture<HttpJson.Reply>> sent = new ArrayList<>();
    for (T target : targets) {
      sent.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await(10, TimeUnit.SECONDS);
          return request.send(target);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, threads));
    }
    List<HttpJson.Reply> answers = new ArrayList<>();
    for (CompletableFuture<HttpJson.Reply> answer : sent) {
      answers.add(answer.get(30, TimeUnit.SECONDS));
    }
    return answers;
  }

  /** The one answer that is a 200, failing unless exactly one is. */
  static HttpJson.Reply onlySuccess(List<HttpJson.Reply> answers, String what) {
    List<HttpJson.Reply> succeeded = answers.stream().filter(answer -> answer.status() == 200).toList();
    assertEquals(1, succeeded.size(), () -> "exactly one of " + what + " succeeds: " + answers);
    return succeeded.get(0);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}

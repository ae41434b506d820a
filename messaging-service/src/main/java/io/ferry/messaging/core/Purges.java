package io.ferry.messaging.core;

import io.ferry.contracts.model.PurgeStatus;
import io.ferry.messaging.store.PurgeRecord;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Future;

/**
 * Queue purges. A purge removes every message appended before it started (everything up to the queue's
 * last sequence then); later messages stay. Its start is durable before it is answered, and its removal is
 * durable together with its completion, so a purge interrupted by a crash is finished at the next start.
 */
final class Purges {

  private final EngineRuntime runtime;
  private final Removals removals;

  Purges(EngineRuntime runtime, Removals removals) {
    this.runtime = runtime;
    this.removals = removals;
  }

  Future<PurgeStatus> purge(String accountId, String queueId) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    PurgeRecord previous = queue.purge;
    PurgeRecord started = new PurgeRecord(queue.id(), runtime.nowMs(), queue.lastSequence, false);
    queue.purge = started;
    return runtime.store.commit(new StoreBatch().putPurge(started)).transform(written -> {
      if (written.failed()) {
        if (queue.purge == started) {
          queue.purge = previous;
        }
        return Future.failedFuture(written.cause());
      }
      // Appends with sequences up to the purge's were handed to the store before it, so they are applied by
      // now; waiting for the queue's last append keeps that true whatever the store's completion order.
      queue.lastAppend.onComplete(ignored -> finish(queue, started));
      return Future.succeededFuture(status(started));
    });
  }

  PurgeStatus status(String accountId, String queueId) {
    return status(runtime.state.requireQueue(accountId, queueId).purge);
  }

  private void finish(QueueState queue, PurgeRecord started) {
    // A later purge removes everything this one would, and reports for both.
    if (queue.removed || queue.purge != started) {
      return;
    }
    PurgeRecord completed = new PurgeRecord(started.queueId(), started.startedAtMs(), started.throughSequence(),
        true);
    removals.removeThrough(queue, started.throughSequence(), new StoreBatch().putPurge(completed))
        .onSuccess(v -> {
          if (queue.purge == started) {
            queue.purge = completed;
          }
        });
  }

  private static PurgeStatus status(PurgeRecord purge) {
    return purge == null ? new PurgeStatus(false, 0) : new PurgeStatus(purge.completed(), purge.startedAtMs());
  }
}

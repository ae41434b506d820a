package io.ferry.gateway.core;

import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a subscription's retained messages page by page, handing each page to a writer that completes once
 * the socket can take more, so replay is paced by the client rather than buffered.
 */
final class Replay {

  private final HistoryReader history;
  private final String queueId;
  private final String key;
  private final int pageSize;

  Replay(HistoryReader history, String queueId, String key, int pageSize) {
    this.history = history;
    this.queueId = queueId;
    this.key = key;
    this.pageSize = pageSize;
  }

  /**
   * Writes every retained message with sequence ≥ {@code from}, up to the head at the time of reading;
   * completes with that head (the highest sequence published then, whether retained or not).
   */
  Future<Long> from(long from, Function<List<Frame>, Future<Void>> writer) {
    Promise<Long> done = Promise.promise();
    readFrom(from, writer, done);
    return done.future();
  }

  /**
   * Writes the newest retained message (with this key, on a keyed subscription), if any; completes with the
   * head published when the log was first read.
   */
  Future<Long> newest(Function<List<Frame>, Future<Void>> writer) {
    return read(0, pageSize).compose(first -> {
      if (isLastPage(first)) {
        return writeNewestOf(first.messages(), null, writer).map(first.headSequence());
      }
      // The head itself is usually retained: one probe saves scanning the whole log.
      return read(first.headSequence(), 1).compose(probe -> probe.messages().isEmpty()
          ? scanForNewest(nextSequence(first), last(first.messages()), writer)
          : writeNewestOf(probe.messages(), null, writer)).map(first.headSequence());
    });
  }

  private void readFrom(long from, Function<List<Frame>, Future<Void>> writer, Promise<Long> done) {
    read(from, pageSize)
        .compose(page -> {
          // Only the frames stay referenced while the socket drains, not the page's messages as well.
          Read read = new Read(isLastPage(page) ? -1 : nextSequence(page), page.headSequence());
          return writer.apply(framesOf(page.messages())).map(read);
        })
        .onSuccess(read -> {
          if (read.next() < 0) {
            done.complete(read.head());
          } else {
            readFrom(read.next(), writer, done);
          }
        })
        .onFailure(done::fail);
  }

  /** Where the next page starts ({@code -1}: this was the last) and the head the page was read at. */
  private record Read(long next, long head) {
  }

  private Future<Void> scanForNewest(long from, StoredMessage newestSoFar,
      Function<List<Frame>, Future<Void>> writer) {
    Promise<StoredMessage> found = Promise.promise();
    scan(from, newestSoFar, found);
    return found.future().compose(newest -> writeNewestOf(List.of(), newest, writer));
  }

  private void scan(long from, StoredMessage newestSoFar, Promise<StoredMessage> found) {
    read(from, pageSize).onSuccess(page -> {
      StoredMessage newest = page.messages().isEmpty() ? newestSoFar : last(page.messages());
      if (isLastPage(page)) {
        found.complete(newest);
      } else {
        scan(nextSequence(page), newest, found);
      }
    }).onFailure(found::fail);
  }

  private Future<Void> writeNewestOf(List<StoredMessage> messages, StoredMessage fallback,
      Function<List<Frame>, Future<Void>> writer) {
    StoredMessage newest = messages.isEmpty() ? fallback : last(messages);
    return newest == null ? Future.succeededFuture() : writer.apply(framesOf(List.of(newest)));
  }

  private Future<HistoryPage> read(long from, int limit) {
    return history.read(new HistoryRequest(queueId, from, key, limit));
  }

  private boolean isLastPage(HistoryPage page) {
    return page.messages().size() < pageSize || last(page.messages()).sequence() >= page.headSequence();
  }

  private static long nextSequence(HistoryPage page) {
    return last(page.messages()).sequence() + 1;
  }

  private static StoredMessage last(List<StoredMessage> messages) {
    return messages.get(messages.size() - 1);
  }

  private List<Frame> framesOf(List<StoredMessage> messages) {
    List<Frame> frames = new ArrayList<>(messages.size());
    for (StoredMessage message : messages) {
      Frame frame = Frame.of(message);
      if (frame.matches(key)) {
        frames.add(frame);
      }
    }
    return frames;
  }
}

package io.ferry.gateway.core;

import io.ferry.contracts.model.HistoryRequest;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One long-poll request. It follows the queue's feed before it reads history, so nothing published in
 * between is missed: the answer is the retained messages from the requested position (one history page) if
 * there are any, else the first live ones to arrive, else nothing once the wait is over or the feed ends
 * (queue or id deleted, gateway stopping). Live frames held while history is read count in
 * {@link HeldBytes}: what does not fit is left for the next poll, which finds it in history, and a poll
 * chosen to make room answers at once with nothing. An answer says when it was cut short (a full history
 * page, or live frames left out) so the client asks again from the sequence after its last frame, and, for a
 * poll from a sequence, the oldest sequence the queue still retains. Confined to the request's context.
 */
public final class LongPoll implements Follower {

  /**
   * What to answer: the frames in sequence order (empty when nothing came in time); {@code more} when more
   * messages may be waiting right after the last frame; {@code oldestSequence} the oldest sequence the queue
   * retained at the history read (0 when not read or unknown).
   */
  public record Answer(List<Frame> frames, boolean more, long oldestSequence) {

    static final Answer EMPTY = new Answer(List.of(), false, 0);

    /** Where the client should continue, when {@link #more}: the sequence after the last frame. */
    public long nextSequence() {
      return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).sequence() + 1;
    }
  }

  private enum State { OPENING, READING, WAITING, DONE }

  private final Context context;
  private final String queueId;
  private final String key;
  private final StartPosition start;
  private final HistoryReader history;
  private final int pageSize;
  private final int maxHeldFrames;
  private final HeldBytes.Account account;
  private final long deadlineMs;
  private final Consumer<LongPoll> onFinished;
  private final Promise<Answer> answer = Promise.promise();
  // Live frames that arrive while history is read; only used when history has nothing.
  private final List<Frame> held = new ArrayList<>();
  // Whether a wanted live frame did not fit in held: the answer is then cut short.
  private boolean heldDropped;
  private long oldestSequence;
  // The head history was read at (a poll from a sequence); -1 before the read.
  private long readHead = -1;
  private boolean reread;
  private State state = State.OPENING;
  private long timer = -1;

  LongPoll(Context context, String queueId, String key, StartPosition start, long waitMs, HistoryReader history,
      int pageSize, int maxHeldFrames, HeldBytes heldBytes, Consumer<LongPoll> onFinished) {
    this.context = context;
    this.queueId = queueId;
    this.key = key;
    this.start = start;
    this.history = history;
    this.pageSize = pageSize;
    this.maxHeldFrames = maxHeldFrames;
    this.account = heldBytes.open(() -> context.runOnContext(v -> finish(Answer.EMPTY, null)));
    this.deadlineMs = System.currentTimeMillis() + waitMs;
    this.onFinished = onFinished;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public String key() {
    return key;
  }

  /** What to answer with. */
  public Future<Answer> answer() {
    return answer.future();
  }

  /** The client went away: stop following without answering. */
  public void cancel() {
    finish(null, null);
  }

  @Override
  public void onFrames(List<Frame> frames) {
    switch (state) {
      case OPENING, READING -> {
        for (Frame frame : frames) {
          if (!wanted(frame)) {
            continue;
          }
          if (held.size() < maxHeldFrames && account.add(frame.bytes())) {
            held.add(frame);
          } else {
            heldDropped = true;
          }
        }
      }
      case WAITING -> {
        List<Frame> live = wantedOf(frames);
        if (live.isEmpty()) {
          return;
        }
        if (!reread && start.kind() == StartPosition.Kind.FROM && !frames.isEmpty()
            && frames.get(0).sequence() > Math.max(readHead, start.fromSequence() - 1) + 1) {
          // Published before this gateway's feed of the queue reached it (or while the queue moved between
          // messaging instances): what came before these frames is in history, and answering with them alone
          // would make the client's next poll skip it.
          rereadBefore(live);
          return;
        }
        finish(new Answer(live, false, oldestSequence), null);
      }
      case DONE -> { }
    }
  }

  // A poll from a sequence waiting for live frames while history already has more than it read: it answers
  // with them (or waits on, if none is for its key).
  @Override
  public void onHead(long head) {
    if (state == State.WAITING && start.kind() == StartPosition.Kind.FROM
        && head > Math.max(readHead, start.fromSequence() - 1)) {
      context.owner().cancelTimer(timer);
      timer = -1;
      readRetained(this::waitForLive);
    }
  }

  @Override
  public Future<Void> end(WebSocketCloseStatus closeStatus, String reason) {
    finish(Answer.EMPTY, null);
    return Future.succeededFuture();
  }

  /** The feed is registered: read what is retained, then wait for live frames if there was nothing. */
  void begin() {
    if (state != State.OPENING) {
      return;
    }
    readRetained(() -> {
      if (!held.isEmpty()) {
        finish(new Answer(List.copyOf(held), heldDropped, oldestSequence), null);
      } else {
        waitForLive();
      }
    });
  }

  private void rereadBefore(List<Frame> live) {
    reread = true;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    readRetained(() -> finish(new Answer(live, false, oldestSequence), null));
  }

  // Answers with what is retained, else runs ifNothingRetained; a poll that ended meanwhile stays ended.
  private void readRetained(Runnable ifNothingRetained) {
    state = State.READING;
    retained().onComplete(ar -> {
      if (state != State.READING) {
        return;
      }
      if (ar.failed()) {
        finish(null, ar.cause());
      } else if (!ar.result().frames().isEmpty()) {
        finish(ar.result(), null);
      } else {
        ifNothingRetained.run();
      }
    });
  }

  void fail(Throwable cause) {
    finish(null, cause);
  }

  private Future<Answer> retained() {
    return switch (start.kind()) {
      case LIVE -> Future.succeededFuture(Answer.EMPTY);
      // One more than a page is asked for, so a full page tells for sure that more are waiting.
      case FROM -> history.read(new HistoryRequest(queueId, start.fromSequence(), key, pageSize + 1))
          .map(page -> {
            oldestSequence = page.oldestSequence();
            readHead = page.headSequence();
            List<Frame> frames = wantedOf(Frame.allOf(page.messages()));
            boolean more = frames.size() > pageSize || (frames.size() == pageSize
                && frames.get(pageSize - 1).sequence() < page.headSequence());
            return new Answer(frames.size() > pageSize ? List.copyOf(frames.subList(0, pageSize)) : frames, more,
                oldestSequence);
          });
      case LAST -> {
        List<Frame> newest = new ArrayList<>();
        yield new Replay(history, queueId, key, pageSize)
            .newest(frames -> {
              newest.addAll(frames);
              return Future.succeededFuture();
            })
            .map(v -> new Answer(newest, false, 0));
      }
    };
  }

  private void waitForLive() {
    long remaining = deadlineMs - System.currentTimeMillis();
    if (remaining <= 0) {
      finish(new Answer(List.of(), false, oldestSequence), null);
      return;
    }
    state = State.WAITING;
    timer = context.owner().setTimer(remaining, id -> finish(new Answer(List.of(), false, oldestSequence), null));
  }

  private boolean wanted(Frame frame) {
    return frame.matches(key)
        && (start.kind() != StartPosition.Kind.FROM || frame.sequence() >= start.fromSequence());
  }

  private List<Frame> wantedOf(List<Frame> frames) {
    List<Frame> wanted = new ArrayList<>(frames.size());
    for (Frame frame : frames) {
      if (wanted(frame)) {
        wanted.add(frame);
      }
    }
    return wanted;
  }

  private void finish(Answer frames, Throwable failure) {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
    }
    held.clear();
    account.close();
    if (failure != null) {
      answer.tryFail(failure);
    } else if (frames != null) {
      answer.tryComplete(frames);
    } else {
      answer.tryFail(new IllegalStateException("long poll cancelled"));
    }
    onFinished.accept(this);
  }
}

package io.ferry.gateway.core;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;

/** Something that follows a queue's live feed; every call reaches it on its own {@link #context()}. */
public interface Follower {

  /** The context the follower's state is confined to. */
  Context context();

  /** The frame id this follower is limited to, or {@code null} when it follows every message. */
  String key();

  /** Frames just published on the followed queue, in sequence order. */
  void onFrames(List<Frame> frames);

  /**
   * The followed queue's highest published sequence, as history told it while the feed had been quiet: what
   * lies above the follower's position and never came as frames was missed (published before the feed's
   * subscription reached the publisher, or by an instance that died before it told the feed).
   */
  default void onHead(long head) {
  }

  /**
   * The follower's feed ends for it (the gateway is stopping, the queue or the followed id was deleted);
   * completes once the follower has closed.
   */
  Future<Void> end(WebSocketCloseStatus closeStatus, String reason);
}

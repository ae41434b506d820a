package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonObject;

/**
 * One messaging operation on a shard, forwarded to the instance that owns the shard
 * ({@code Endpoints.messagingShard}): the operation's name and its arguments as messaging writes them.
 * Message bodies inside {@code arguments} are byte arrays, which cross the wire base64-encoded once and are
 * not encoded at all within one JVM.
 */
public record ShardCall(int shard, String operation, JsonObject arguments) implements BusPayload {

  /**
   * The reply failure code of an instance that received a call for a shard it no longer serves: the call did
   * not run, so the sender may send it again once the shard's new owner serves it. Not an {@code ErrorCode}.
   */
  public static final int NOT_THE_OWNER = 1_000;

  /**
   * The header of an owner's answer naming the address it serves its shards on for good
   * ({@code Endpoints.messagingInstance}), where the sender sends the shard's next calls.
   */
  public static final String OWNER_HEADER = "ferry-shard-owner";

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("shard", shard).put("operation", operation).put("arguments", arguments);
  }

  public static ShardCall fromJson(JsonObject json) {
    return new ShardCall(json.getInteger("shard"), json.getString("operation"), json.getJsonObject("arguments"));
  }
}

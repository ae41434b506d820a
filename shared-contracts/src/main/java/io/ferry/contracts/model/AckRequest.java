package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Settle leased messages of a subscription, by lease id: {@code acks} are resolved; {@code retries} come back
 * after a delay (the attempt counts); {@code misses} are given up on and held as missed, redeliverable on
 * request ({@code RedeliverRequest}); {@code releases} are handed back unattempted (available at once, the
 * lease's attempt not counted), e.g. by a dispatcher that stops or pauses. Every lease id is settled at most
 * once; unusable ones become warnings.
 */
public record AckRequest(String queueId, String subscriptionId, List<String> acks, List<RetryRequest> retries,
    List<String> misses, List<String> releases) implements BusPayload {

  public AckRequest {
    acks = List.copyOf(acks);
    retries = List.copyOf(retries);
    misses = List.copyOf(misses);
    releases = List.copyOf(releases);
  }

  /** Acks and retries only. */
  public AckRequest(String queueId, String subscriptionId, List<String> acks, List<RetryRequest> retries) {
    this(queueId, subscriptionId, acks, retries, List.of(), List.of());
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("queueId", queueId)
        .put("subscriptionId", subscriptionId)
        .put("acks", new JsonArray(List.copyOf(acks)))
        .put("retries", JsonLists.toArray(retries))
        .put("misses", new JsonArray(misses))
        .put("releases", new JsonArray(releases));
  }

  public static AckRequest fromJson(JsonObject json) {
    return new AckRequest(json.getString("queueId"), json.getString("subscriptionId"),
        JsonLists.plain(json.getJsonArray("acks")),
        JsonLists.fromArray(json.getJsonArray("retries"), RetryRequest::fromJson),
        JsonLists.plain(json.getJsonArray("misses", new JsonArray())),
        JsonLists.plain(json.getJsonArray("releases", new JsonArray())));
  }
}

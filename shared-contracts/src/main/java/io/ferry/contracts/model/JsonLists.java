package io.ferry.contracts.model;

import io.ferry.contracts.bus.BusPayload;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** List conversions shared by the payload records' JSON forms. */
final class JsonLists {

  private JsonLists() {
  }

  static JsonArray toArray(List<? extends BusPayload> items) {
    JsonArray array = new JsonArray(new ArrayList<>(items.size()));
    for (BusPayload item : items) {
      array.add(item.toJson());
    }
    return array;
  }

  static <T> List<T> fromArray(JsonArray array, Function<JsonObject, T> decoder) {
    if (array == null) {
      return List.of();
    }
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(decoder.apply(array.getJsonObject(i)));
    }
    return List.copyOf(items);
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> plain(JsonArray array) {
    return array == null ? List.of() : List.copyOf((List<T>) array.getList());
  }
}

package io.ferry.admin.store;

import static io.ferry.admin.store.RocksRecords.SETTING;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

// Server settings in RocksDB; the check for a kept value and the first write run together on the store thread.
final class RocksSettingRecords implements SettingRecords {

  private final StoreAccess store;
  private final AdminIndex index;

  RocksSettingRecords(StoreAccess store) {
    this.store = store;
    this.index = store.index;
  }

  @Override
  public Future<String> settingOrInit(String name, String initial) {
    return store.submit(records -> {
      String kept = index.settings.get(name);
      if (kept == null) {
        records.put(SETTING, name, new JsonObject().put("name", name).put("value", initial));
        index.settings.put(name, initial);
        kept = initial;
      }
      return kept;
    });
  }
}

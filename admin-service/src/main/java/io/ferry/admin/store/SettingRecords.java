package io.ferry.admin.store;

import io.vertx.core.Future;

/** Server settings (e.g. generated secrets): one area of an {@link AdminStore}, under its general contract. */
public interface SettingRecords {

  /**
   * The value of a server setting, storing {@code initial} first when there is none yet; every caller, however
   * concurrent, gets the one value that was kept.
   */
  Future<String> settingOrInit(String name, String initial);
}

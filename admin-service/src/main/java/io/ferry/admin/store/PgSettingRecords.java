package io.ferry.admin.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

// Server settings in PostgreSQL. The first insert of a name wins (the primary key decides between instances);
// every other caller then reads the kept value. Values are sealed when a secrets key is set, as in
// RocksAdminStore (the token secret is one).
final class PgSettingRecords implements SettingRecords {

  private final PgAccess db;

  PgSettingRecords(PgAccess db) {
    this.db = db;
  }

  @Override
  public Future<String> settingOrInit(String name, String initial) {
    String stored = db.seal.enabled() ? db.seal.seal(initial, key(name)) : initial;
    return db.run("storing a setting", pool -> pool
        .preparedQuery("INSERT INTO admin_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, stored))
        .compose(inserted -> inserted.rowCount() == 1 ? Future.succeededFuture(initial)
            // A statement of its own: its snapshot sees the value the winner committed.
            : pool.preparedQuery("SELECT value FROM admin_settings WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> db.seal.open(rows.iterator().next().getString(0), key(name)))));
  }

  static byte[] key(String name) {
    return PgAccess.recordKey(RocksRecords.SETTING, name);
  }
}

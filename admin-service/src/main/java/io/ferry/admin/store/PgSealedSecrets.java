package io.ferry.admin.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

// At open, what RocksAdminStore does while loading: every sealed secret must open with the configured key (a
// wrong or missing key fails the start instead of the first webhook), and secrets stored in clear before a key
// was set are sealed now. Each rewrite is a compare-and-set on the clear value, so instances starting together
// do not seal one secret twice.
final class PgSealedSecrets {

  private PgSealedSecrets() {
  }

  static Future<Void> checkAndSeal(Pool pool, SecretSeal seal) {
    return pool.query("SELECT id, doc FROM admin_listeners").execute()
        .compose(listeners -> {
          List<Future<?>> sealing = new ArrayList<>();
          for (Row row : listeners) {
            String id = row.getString("id");
            String doc = row.getString("doc");
            String secret = new JsonObject(doc).getString("secret");
            if (secret == null) {
              continue;
            }
            seal.open(secret, PgListenerRecords.key(id));
            if (seal.enabled() && !SecretSeal.isSealed(secret)) {
              String sealed = new JsonObject(doc).put("secret", seal.seal(secret, PgListenerRecords.key(id)))
                  .encode();
              sealing.add(pool.preparedQuery("UPDATE admin_listeners SET doc = $3 WHERE id = $1 AND doc = $2")
                  .execute(Tuple.of(id, doc, sealed)));
            }
          }
          return Future.all(sealing);
        })
        .compose(v -> pool.query("SELECT name, value FROM admin_settings").execute())
        .compose(settings -> {
          List<Future<?>> sealing = new ArrayList<>();
          for (Row row : settings) {
            String name = row.getString("name");
            String value = row.getString("value");
            seal.open(value, PgSettingRecords.key(name));
            if (seal.enabled() && !SecretSeal.isSealed(value)) {
              sealing.add(pool.preparedQuery("UPDATE admin_settings SET value = $3 WHERE name = $1 AND value = $2")
                  .execute(Tuple.of(name, value, seal.seal(value, PgSettingRecords.key(name)))));
            }
          }
          return Future.all(sealing);
        })
        .mapEmpty();
  }
}

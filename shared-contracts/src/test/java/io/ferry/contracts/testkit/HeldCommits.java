package io.ferry.contracts.testkit;

import static org.awaitility.Awaitility.waitAtMost;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds a transaction inside its COMMIT, deterministically: a deferred constraint trigger, which PostgreSQL fires
 * only once COMMIT has been received, sleeps there. So a test can cut the connection (terminate the backend)
 * or let a statement timeout strike while COMMIT is in flight, the case where the client cannot know whether
 * the transaction committed. Made on the schema of {@code observer}, a pool of the test's own whose search_path
 * is that schema.
 */
public final class HeldCommits {

  private static final Duration WAIT = Duration.ofSeconds(30);
  // Far beyond any test: a held COMMIT ends when the test terminates it, or at the store's statement timeout.
  private static final int SLEEP_SECONDS = 600;

  private final Pool observer;
  private final String schema;
  private final String table;

  private HeldCommits(Pool observer, String schema, String table) {
    this.observer = observer;
    this.schema = schema;
    this.table = table;
  }

  /**
   * From now on, a transaction that inserted a row of {@code table} for which {@code when} (SQL on {@code NEW})
   * holds sleeps in its COMMIT, its backend marked so {@link #heldBackend} finds it.
   */
  public static HeldCommits on(Pool observer, String schema, String table, String when) {
    HeldCommits held = new HeldCommits(observer, schema, table);
    Futures.await(observer.query("CREATE OR REPLACE FUNCTION " + schema + ".ferry_test_hold_commit()"
        + " RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        + " PERFORM set_config('application_name', '" + held.marker() + "', true);"
        + " PERFORM pg_sleep(" + SLEEP_SECONDS + "); RETURN NULL; END $$").execute(), WAIT);
    Futures.await(observer.query("CREATE CONSTRAINT TRIGGER ferry_test_hold_commit AFTER INSERT ON " + schema + "."
        + table + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (" + when + ")"
        + " EXECUTE FUNCTION " + schema + ".ferry_test_hold_commit()").execute(), WAIT);
    return held;
  }

  private String marker() {
    return "held-commit-" + schema;
  }

  /** The backend of the transaction sleeping in its COMMIT, once there is one. */
  public int heldBackend() {
    AtomicInteger pid = new AtomicInteger();
    waitAtMost(WAIT).until(() -> {
      RowSet<Row> rows = Futures.await(observer.preparedQuery("SELECT pid FROM pg_stat_activity"
          + " WHERE application_name = $1 AND wait_event = 'PgSleep'")
          .execute(Tuple.of(marker())), WAIT);
      if (rows.size() == 0) {
        return false;
      }
      pid.set(rows.iterator().next().getInteger(0));
      return true;
    });
    return pid.get();
  }

  /**
   * Terminates backend {@code pid}, as an administrator or a failover would: its connection is cut. Returns
   * once the backend is gone, so that the next {@link #heldBackend} is another one.
   */
  public void terminate(int pid) {
    Futures.await(observer.preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)), WAIT);
    waitAtMost(WAIT).until(() -> Futures.await(observer.preparedQuery("SELECT 1 FROM pg_stat_activity WHERE pid = $1")
        .execute(Tuple.of(pid)), WAIT).size() == 0);
  }

  /** Commits are no longer held. */
  public void release() {
    Futures.await(observer.query("DROP TRIGGER ferry_test_hold_commit ON " + schema + "." + table).execute(), WAIT);
  }
}

package io.ferry.messaging.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksMessageStoreTest extends MessageStoreContract {

  @TempDir
  Path directory;

  @Override
  protected MessageStore openStore() {
    return RocksMessageStore.open(directory.resolve("messaging"));
  }
}

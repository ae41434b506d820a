package io.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileSharesTest {

  @Test
  void samplesGoToTheKindOfTheirInnermostFrameAndFerryMethodsCountOncePerStack() {
    ProfileShares shares = ProfileShares.of(List.of(
        "java/lang/Thread.run;io/ferry/dispatcher/http/WebhookSender.send;io/ferry/dispatcher/http/WebhookSender"
            + ".lambda$send$2;io/netty/channel/AbstractChannel$AbstractUnsafe.flush;writev 30",
        "java/lang/Thread.run;io/ferry/admin/store/RocksAttemptRecords.appendAttempts;org/rocksdb/RocksDB.write0;"
            + "rocksdb::MemTable::Add 20",
        "java/lang/Thread.run;io/ferry/messaging/store/GroupCommitWriter.run;fdatasync 10",
        "start_thread;thread_native_entry;Thread::call_run;GangWorker::run;G1ParEvacuateFollowersClosure::do_void 5",
        "start_thread;thread_native_entry;CompileBroker::compiler_thread_loop;C2Compiler::compile_method 5",
        "java/lang/Thread.run;io/ferry/dispatcher/http/WebhookSender.send;io/ferry/bench/Some$$Lambda$1.0x1.run;"
            + "java/util/HashMap.get 30",
        "not a line"));
    assertEquals(100, shares.samples());
    assertEquals(Map.of("socket writes", 30L, "RocksDB", 20L, "fsync", 10L, "GC", 5L, "JIT compiler", 5L,
        "Java and the rest", 30L), shares.byKind());
    assertEquals(List.of("WebhookSender.send", "RocksAttemptRecords.appendAttempts", "GroupCommitWriter.run"),
        List.copyOf(shares.ferryMethods().keySet()));
    assertEquals(60L, shares.ferryMethods().get("WebhookSender.send"), "once per stack, lambdas as their method");
    assertEquals("100 samples; innermost frame: socket writes 30.0 %, Java and the rest 30.0 %, RocksDB 20.0 %, "
        + "fsync 10.0 %, GC 5.0 %, JIT compiler 5.0 %; Ferry methods on the most stacks: WebhookSender.send 60.0 %, "
        + "RocksAttemptRecords.appendAttempts 20.0 %, GroupCommitWriter.run 10.0 %", shares.describe());
  }
}

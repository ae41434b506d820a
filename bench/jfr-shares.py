#!/usr/bin/env python3
"""Where Ferry's CPU goes, from JFR execution samples (bench/README.md, "Profiling, and what each fix bought").

    jfr print --events jdk.ExecutionSample --stack-depth 96 ferry.jfr > samples.txt
    bench/jfr-shares.py samples.txt [more.txt ...]    # one column per file, as a Markdown table

Each sample goes to the category of its innermost frame (leaf first) that matches one, so the shares add up to
100 %; a frame of no category (a JDK collection, say) counts for the Ferry or library frame that called it.
"""
import re, sys, collections
cats = [
 ("metrics (Micrometer)", r"^io\.micrometer|^io\.vertx\.micrometer|EngineMeters|HttpRequestMeters|NodeMetrics"),
 ("logging", r"^org\.slf4j|^ch\.qos\.logback"),
 ("routing (vertx-web + regex)", r"^java\.util\.regex|^io\.vertx\.ext\.web\.impl\.(RouteState|RouterImpl|RoutingContext)|RouteGroups"),
 ("JSON parse (request bodies)", r"^com\.fasterxml\.jackson\.core\.(json\.UTF8Stream|json\.ReaderBased|base\.Parser|JsonFactory|json\.ByteSource)|JacksonCodec\.(from|decode)|RequestBody|RawJsonBodies|PlainPushBodies|MessageParser"),
 ("auth (Authentication/Authorization/grants)", r"io\.ferry\.contracts\.(runtime\.Authentication|runtime\.Authorization|auth\.)|QueueGrants"),
 ("store: group-commit thread (RocksDB write + fsync)", r"GroupCommitWriter\.(run|writeGroup)|^org\.rocksdb"),
 ("store: submit (RocksMessageStore, StoreBatch, codec)", r"messaging\.store\.(RocksMessageStore|StoreBatch|RocksMutations|RocksCodec|GroupCommitWriter\.submit)"),
 ("event bus (live feed publish)", r"^io\.vertx\.core\.eventbus|BusLiveFeed|TopicListeners"),
 ("engine (Publisher, ShardEngine, state)", r"io\.ferry\.messaging\.core\."),
 ("engine hops (runOnContext, ContextCompletion, loop tasks)", r"ContextCompletion|runOnContext|ContextInternal\.(dispatch|execute)|SingleThreadEventExecutor\.(execute|runAllTasks)|AbstractContext|EventLoopExecutor"),
 ("response encoding (DialectResponses, ResultBytes)", r"DialectResponses|ResultBytes"),
 ("push handler (MessageRoutes)", r"cloudflare\.MessageRoutes"),
 ("HTTP (Netty + Vert.x HTTP, ConnectionDeadlines, StrictRequestDecoder)", r"^io\.netty|^io\.vertx\.core\.(http|net)|^sun\.nio|ConnectionDeadlines|StrictRequestDecoder|ConnectionGuard|HttpServerVerticle"),
 ("futures (Vert.x Future plumbing)", r"^io\.vertx\.core\.impl\.future"),
 ("start-up, JFR and other threads", r"StandaloneMain|FerryCli|FerryNode|^jdk\.jfr"),
]
comp = [(n, re.compile(p)) for n, p in cats]
def run(path):
    text = open(path).read(); c = collections.Counter(); n = 0
    for ev in text.split("jdk.ExecutionSample {")[1:]:
        m = re.search(r"stackTrace = \[(.*?)\n\s*\]", ev, re.S)
        if not m: continue
        n += 1
        fr = [re.sub(r"\(.*", "", re.sub(r"\s+line:.*$", "", l.strip())) for l in m.group(1).split("\n") if l.strip()]
        hit = "other"
        for f in fr:
            k = next((nm for nm, p in comp if p.search(f)), None)
            if k: hit = k; break
        c[hit] += 1
    return n, c
res = [run(p) for p in sys.argv[1:]]
names = [n for n, _ in cats] + ["other"]
print("| | " + " | ".join(f"{p.split('/')[-1]} ({n} samples)" for p, (n, _) in zip(sys.argv[1:], res)) + " |")
for nm in names:
    print(f"| {nm} | " + " | ".join(f"{100*c[nm]/n:.1f} %" for n, c in res) + " |")

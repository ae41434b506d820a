package io.ferry.messaging.bus;

import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends shard calls to the owner: to the address its last answer named ({@link ShardCall#OWNER_HEADER}), or,
 * while none is known (none yet, or the one known failed a call), to the shard's address. A call that surely
 * did not run (no instance serves the shard, or the one reached no longer does) is sent again with a backoff
 * while a shard changes hands, up to {@code forwardWaitMs}, then fails UNAVAILABLE (nothing happened: retry).
 * A call sent whose reply timed out may have run on the owner (or died with it, or never reached it: the bus
 * cannot say which), so it is never sent again and fails OUTCOME_UNKNOWN; so does a call on its way to a member
 * that left the cluster ({@link #memberLeft}), at once rather than at its timeout. Any other failure is the
 * caller's, with the owner's error code and message.
 *
 * <p>The clustered bus neither fails a request to a member that died nor stops picking it for a while: it sends
 * to the member's last registrations until the cluster manager drops them, and the request is lost to its
 * timeout. So a shard's address whose only registrations are on members that left counts as having no handler,
 * a call for a shard whose owner is not known goes to the own address of a live member holding the shard's
 * address when that is known (from any of its answers), and a call sent to the one member registered there is
 * failed when that member leaves.
 */
public final class ShardForwarder implements ShardCalls.Transport {

  private static final Logger LOG = LoggerFactory.getLogger(ShardForwarder.class);
  static final long FIRST_RETRY_MS = 25;
  static final long MAX_RETRY_MS = 500;

  private final Vertx vertx;
  private final long forwardWaitMs;
  // null on a local Vert.x: one process, nobody leaves.
  private final ClusteredNode cluster;
  // Per shard, the own address of the instance that last answered for it.
  private final Map<Integer, String> owners = new ConcurrentHashMap<>();
  // Per cluster member, the own address of its messaging instance, as its answers named it.
  private final Map<String, String> ownAddresses = new ConcurrentHashMap<>();
  // Per shard, the own address that last refused it (it handed the shard over), until an owner answers.
  private final Map<Integer, String> refusedBy = new ConcurrentHashMap<>();
  // Calls sent to one member and not answered yet, so that they end when it leaves.
  private final Map<Long, Unanswered> unanswered = new ConcurrentHashMap<>();
  private final AtomicLong callIds = new AtomicLong();

  /**
   * A call on its way to {@code address}, served by the member {@code member} (null: told by the address, an
   * own address), to be failed on {@code context}, where it was sent.
   */
  private record Unanswered(String address, String member, int shard, Context context,
      Promise<ShardReply> answered) {
  }

  public ShardForwarder(Vertx vertx, long forwardWaitMs) {
    this.vertx = vertx;
    this.forwardWaitMs = forwardWaitMs;
    this.cluster = ((VertxInternal) vertx).clusterManager();
  }

  /** How the own addresses of a member's messaging instances start. */
  public static String ownAddressPrefix(String member) {
    return Endpoints.messagingInstance(member).address() + "/";
  }

  @Override
  public Future<ShardReply> send(ShardCall call, long timeoutMs) {
    Promise<ShardReply> answered = Promise.promise();
    attempt(call, timeoutMs, System.nanoTime() + forwardWaitMs * 1_000_000, FIRST_RETRY_MS, answered);
    return answered.future();
  }

  private void attempt(ShardCall call, long timeoutMs, long deadlineNanos, long retryMs,
      Promise<ShardReply> answered) {
    String known = owners.get(call.shard());
    if (known != null) {
      request(call, known, null, timeoutMs, deadlineNanos, retryMs, answered);
      return;
    }
    String address = Endpoints.messagingShard(call.shard()).address();
    if (cluster == null) {
      request(call, address, null, timeoutMs, deadlineNanos, retryMs, answered);
      return;
    }
    Context context = vertx.getOrCreateContext();
    cluster.getRegistrations(address, (registrations, failure) -> context.runOnContext(v -> {
      if (failure != null || registrations == null) {
        // The cluster manager cannot tell: the bus decides alone, as it would without this look.
        request(call, address, null, timeoutMs, deadlineNanos, retryMs, answered);
        return;
      }
      List<String> members = cluster.getNodes();
      List<String> live = registrations.stream().map(RegistrationInfo::nodeId).filter(members::contains)
          .distinct().toList();
      if (live.isEmpty()) {
        // No live member holds the address. The bus's own picture of it may still name a member that left
        // (seen for 3 s after a kill -9): it would send there and lose the call to its timeout.
        again(call, timeoutMs, deadlineNanos, retryMs, answered);
        return;
      }
      // The bus picks among the holders by a picture of its own, which kept naming a member for seconds after
      // the cluster manager had dropped it: a live holder whose own address is known is asked there instead.
      String refused = refusedBy.get(call.shard());
      List<String> holders = live.stream().map(ownAddresses::get).filter(Objects::nonNull)
          .filter(own -> !own.equals(refused)).toList();
      if (!holders.isEmpty()) {
        request(call, holders.get(ThreadLocalRandom.current().nextInt(holders.size())), null, timeoutMs,
            deadlineNanos, retryMs, answered);
        return;
      }
      if (registrations.stream().anyMatch(registration -> !members.contains(registration.nodeId()))) {
        again(call, timeoutMs, deadlineNanos, retryMs, answered);
        return;
      }
      String member = registrations.size() == 1 ? registrations.get(0).nodeId() : null;
      request(call, address, member, timeoutMs, deadlineNanos, retryMs, answered);
    }));
  }

  // `member`: the one member registered on `address` when it is a shard's, else null.
  private void request(ShardCall call, String address, String member, long timeoutMs, long deadlineNanos,
      long retryMs, Promise<ShardReply> answered) {
    // Any address but the shard's is the own address of the instance that last answered for it.
    boolean ownAddress = !address.equals(Endpoints.messagingShard(call.shard()).address());
    long id = callIds.incrementAndGet();
    boolean tracked = ownAddress || member != null;
    if (tracked) {
      unanswered.put(id, new Unanswered(address, member, call.shard(), vertx.getOrCreateContext(), answered));
    }
    vertx.eventBus().<ShardReply>request(address, call, new DeliveryOptions().setSendTimeout(timeoutMs))
        .onSuccess(reply -> {
          unanswered.remove(id);
          String owner = reply.headers().get(ShardCall.OWNER_HEADER);
          if (owner != null) {
            owners.put(call.shard(), owner);
            refusedBy.remove(call.shard());
            String ownerMember = memberOf(owner);
            if (ownerMember != null) {
              ownAddresses.put(ownerMember, owner);
            }
          }
          answered.tryComplete(reply.body());
        })
        .onFailure(failure -> {
          if (unanswered.remove(id) == null && tracked) {
            // Already failed: its member left the cluster.
            return;
          }
          // Unless the owner itself answered with an error: the shard moved, or that instance is gone or silent.
          if (ownAddress && !answeredByOwner(failure)) {
            owners.remove(call.shard(), address);
            if (refusedHere(failure)) {
              refusedBy.put(call.shard(), address);
            }
          }
          if (!surelyNotRun(failure)) {
            boolean timedOut = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
            if (timedOut) {
              // Rare and worth a line: the caller gets an answer in doubt, and which owner kept silent is not
              // in it.
              LOG.warn("shard {} call {} sent to {} got no answer within {} ms", call.shard(), call.operation(),
                  address, timeoutMs);
            }
            answered.tryFail(timedOut
                ? FerryException.outcomeUnknown("the instance serving shard " + call.shard()
                    + " did not answer within " + timeoutMs + " ms")
                : FerryException.from(failure));
            return;
          }
          again(call, timeoutMs, deadlineNanos, retryMs, answered);
        });
  }

  // A call that surely did not run: once more after the backoff, unless the forward wait is over.
  private void again(ShardCall call, long timeoutMs, long deadlineNanos, long retryMs,
      Promise<ShardReply> answered) {
    // In nanoseconds, and the last wait rounded up: a wait rounded down to the millisecond gave up a fraction
    // of a millisecond before the bound it promises.
    long leftNanos = deadlineNanos - System.nanoTime();
    if (leftNanos <= 0) {
      answered.tryFail(new FerryException(ErrorCode.UNAVAILABLE, "no messaging instance serves shard "
          + call.shard() + " at the moment (waited " + forwardWaitMs + " ms); retry shortly"));
      return;
    }
    long leftMs = (leftNanos + 999_999) / 1_000_000;
    vertx.setTimer(Math.min(retryMs, leftMs), timer ->
        attempt(call, timeoutMs, deadlineNanos, Math.min(MAX_RETRY_MS, retryMs * 2), answered));
  }

  /**
   * Forgets which instance answered for {@code shard}: it gave the shard up. Its own address may soon be gone
   * with it (an instance stopping), and a call sent there then is dropped by the bus unanswered.
   */
  public void forget(int shard) {
    owners.remove(shard);
  }

  /**
   * The cluster member {@code member} left: forgets its instances as owners, and fails OUTCOME_UNKNOWN the calls
   * on their way to it, which no answer would end before their timeout. They may have run before it died.
   */
  public void memberLeft(String member) {
    String prefix = ownAddressPrefix(member);
    ownAddresses.remove(member);
    owners.values().removeIf(address -> address.startsWith(prefix));
    AtomicLong ended = new AtomicLong();
    unanswered.forEach((id, call) -> {
      if ((member.equals(call.member()) || call.address().startsWith(prefix)) && unanswered.remove(id, call)) {
        ended.incrementAndGet();
        call.context().runOnContext(v -> call.answered().tryFail(FerryException.outcomeUnknown(
            "the messaging instance serving shard " + call.shard() + " left the cluster before it answered")));
      }
    });
    if (ended.get() > 0) {
      LOG.warn("cluster member {} left with {} shard calls unanswered; they are answered in doubt", member,
          ended.get());
    }
  }

  // The member an own address belongs to (ownAddressPrefix), or null for any other address.
  static String memberOf(String ownAddress) {
    String instances = Endpoints.messagingInstance("").address();
    int slash = ownAddress.indexOf('/', instances.length());
    return ownAddress.startsWith(instances) && slash > instances.length()
        ? ownAddress.substring(instances.length(), slash) : null;
  }

  /** Tells the forwarder the own address of this member's instance, which may hold shards handed over. */
  public void ownAddressIs(String ownAddress) {
    String member = memberOf(ownAddress);
    if (member != null) {
      ownAddresses.put(member, ownAddress);
    }
  }

  private static boolean refusedHere(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == ShardCall.NOT_THE_OWNER;
  }

  private static boolean answeredByOwner(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() != ShardCall.NOT_THE_OWNER;
  }

  // Besides no handler and the owner's refusal: a request still queued for a handler that was unregistered
  // (the shard left that instance) is discarded by Vert.x with a TIMEOUT of its own at once, which the handler
  // never saw (FerryException.discardedUnread); a real timeout says nothing of the kind.
  static boolean surelyNotRun(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return false;
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> true;
      case RECIPIENT_FAILURE -> reply.failureCode() == ShardCall.NOT_THE_OWNER;
      case TIMEOUT -> FerryException.discardedUnread(reply);
      default -> false;
    };
  }
}

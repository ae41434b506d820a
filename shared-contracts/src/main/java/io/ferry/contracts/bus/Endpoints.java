package io.ferry.contracts.bus;

import io.ferry.contracts.auth.AuthRequest;
import io.ferry.contracts.auth.CredentialsRevoked;
import io.ferry.contracts.auth.Principal;
import io.ferry.contracts.auth.TokenSecret;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.CheckpointRequest;
import io.ferry.contracts.model.DispatcherPresence;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.ListenerInfo;
import io.ferry.contracts.model.ListenerList;
import io.ferry.contracts.model.ListenerLiveness;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueLookup;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.contracts.model.StoreCheckpoint;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.contracts.model.WebhookAttemptBatch;

/**
 * The bus contract: every address Ferry uses, with the payloads it carries. Services never spell an
 * address; they send, serve, publish and subscribe through these constants ({@link Bus}).
 */
public final class Endpoints {

  private Endpoints() {
  }

  // --- served by admin-service ---------------------------------------------------------------

  /** Fails UNAUTHENTICATED / FORBIDDEN / TOO_MANY_REQUESTS. */
  public static final Endpoint<AuthRequest, Principal> AUTH_AUTHENTICATE =
      Endpoint.of("ferry.admin.auth.authenticate", AuthRequest.class, Principal.class);
  /**
   * The HS256 secret of generate_jwt tokens, for services that verify them and have no
   * {@code auth.token-secret} configured. Only ever asked over the mutually authenticated bus.
   */
  public static final Endpoint<Void, TokenSecret> AUTH_TOKEN_SECRET =
      Endpoint.of("ferry.admin.auth.token-secret", Void.class, TokenSecret.class);
  /** Fails QUEUE_NOT_FOUND. */
  public static final Endpoint<QueueLookup, QueueInfo> QUEUE_LOOKUP =
      Endpoint.of("ferry.admin.queue.lookup", QueueLookup.class, QueueInfo.class);
  /** Every queue and subscription, for reconciliation. */
  public static final Endpoint<Void, TopologySnapshot> TOPOLOGY_SNAPSHOT =
      Endpoint.of("ferry.admin.topology.snapshot", Void.class, TopologySnapshot.class);
  /** A listener by id, with its signing secret; fails NOT_FOUND. */
  public static final Endpoint<ResourceRef, ListenerInfo> LISTENER_GET =
      Endpoint.of("ferry.admin.listener.get", ResourceRef.class, ListenerInfo.class);
  /** Every listener, for the dispatcher. */
  public static final Endpoint<Void, ListenerList> LISTENERS_ALL =
      Endpoint.of("ferry.admin.listeners.all", Void.class, ListenerList.class);
  /**
   * Every event, sent (not published, and without an answer) to one admin instance, which keeps it in the
   * account's audit trail and delivers it to the event subscriptions that want it: once, however many admin
   * instances run. Announce events with {@link FerryEvents#announce}, which also publishes them on
   * {@link #EVENTS}.
   */
  public static final Endpoint<FerryEvent, Void> EVENT_RECORD =
      Endpoint.of("ferry.admin.events.record", FerryEvent.class, Void.class);
  /**
   * A receiver answered 410 Gone (listener id): admin marks the listener disabled (durably) and announces
   * {@code listener.disabled}.
   */
  public static final Endpoint<ResourceRef, Ack> LISTENER_DISABLE =
      Endpoint.of("ferry.admin.listener.disable", ResourceRef.class, Ack.class);

  /**
   * Webhook attempts a dispatcher made, sent (without an answer) to one admin instance, which adds them to the
   * listeners' attempt logs in its store, so that every admin instance shows them and they outlive the
   * dispatcher. A lost batch loses only log lines, never a delivery.
   */
  public static final Endpoint<WebhookAttemptBatch, Void> WEBHOOK_ATTEMPTS_RECORD =
      Endpoint.of("ferry.admin.webhook-attempts.record", WebhookAttemptBatch.class, Void.class);

  // --- served by messaging-service: commands from admin (awaited before admin answers) ---------

  public static final Endpoint<QueueInfo, Ack> MESSAGING_QUEUE_UPSERT =
      Endpoint.of("ferry.messaging.queue.upsert", QueueInfo.class, Ack.class);
  /** By queue id; removes messages and subscriptions. */
  public static final Endpoint<ResourceRef, Ack> MESSAGING_QUEUE_DELETE =
      Endpoint.of("ferry.messaging.queue.delete", ResourceRef.class, Ack.class);
  /**
   * By queue id: removes every message of the queue and every subscription's state for them; answers once
   * the purge has started.
   */
  public static final Endpoint<ResourceRef, PurgeStatus> MESSAGING_QUEUE_PURGE =
      Endpoint.of("ferry.messaging.queue.purge", ResourceRef.class, PurgeStatus.class);
  /** By queue id: the state of the queue's last purge. */
  public static final Endpoint<ResourceRef, PurgeStatus> MESSAGING_PURGE_STATUS =
      Endpoint.of("ferry.messaging.queue.purge-status", ResourceRef.class, PurgeStatus.class);
  /**
   * A consistent RocksDB checkpoint of messaging's store into the requested directory, taken off the event
   * loop; fails UNPROCESSABLE when messaging stores in PostgreSQL.
   */
  public static final Endpoint<CheckpointRequest, StoreCheckpoint> MESSAGING_CHECKPOINT =
      Endpoint.of("ferry.messaging.store.checkpoint", CheckpointRequest.class, StoreCheckpoint.class);
  /**
   * Deletes every retained message of the queue with that frame id (Sonya {@code POST /queue/delete/{queue}/{id}}),
   * including every subscription's state for them.
   */
  public static final Endpoint<KeyRef, Ack> MESSAGING_DELETE_BY_KEY =
      Endpoint.of("ferry.messaging.messages.delete-by-key", KeyRef.class, Ack.class);
  public static final Endpoint<SubscriptionSpec, Ack> MESSAGING_SUBSCRIPTION_UPSERT =
      Endpoint.of("ferry.messaging.subscription.upsert", SubscriptionSpec.class, Ack.class);
  /** By subscription id. */
  public static final Endpoint<ResourceRef, Ack> MESSAGING_SUBSCRIPTION_DELETE =
      Endpoint.of("ferry.messaging.subscription.delete", ResourceRef.class, Ack.class);

  // --- served by messaging-service: delivery and history for the other services ---------------

  /** Holds up to {@code waitMs} when nothing is ready. */
  public static final Endpoint<LeaseRequest, LeaseBatch> MESSAGING_LEASE =
      Endpoint.of("ferry.messaging.lease", LeaseRequest.class, LeaseBatch.class);
  public static final Endpoint<AckRequest, AckResult> MESSAGING_ACK =
      Endpoint.of("ferry.messaging.ack", AckRequest.class, AckResult.class);
  /** Retained messages by sequence, for replay. */
  public static final Endpoint<HistoryRequest, HistoryPage> MESSAGING_HISTORY =
      Endpoint.of("ferry.messaging.history", HistoryRequest.class, HistoryPage.class);
  /** Answers once durable; fails QUEUE_NOT_FOUND. */
  public static final Endpoint<PublishRequest, Ack> MESSAGING_PUBLISH =
      Endpoint.of("ferry.messaging.publish", PublishRequest.class, Ack.class);
  /** Fails NOT_FOUND. */
  public static final Endpoint<SubscriptionRef, SubscriptionStats> MESSAGING_SUBSCRIPTION_STATS =
      Endpoint.of("ferry.messaging.subscription.stats", SubscriptionRef.class, SubscriptionStats.class);
  /** Fails NOT_FOUND. */
  public static final Endpoint<RedeliverRequest, RedeliverResult> MESSAGING_REDELIVER =
      Endpoint.of("ferry.messaging.subscription.redeliver", RedeliverRequest.class, RedeliverResult.class);

  // --- published ------------------------------------------------------------------------------

  /** Published by whoever performed the action (docs/webhooks.md), with {@link FerryEvents#announce}. */
  public static final Topic<FerryEvent> EVENTS = Topic.of("ferry.events", FerryEvent.class);
  /**
   * Published by admin-service once a key's disabling, deletion or change is durable; every process's
   * {@link io.ferry.contracts.runtime.Authentication} drops the account's cached principals (docs/auth.md).
   */
  public static final Topic<CredentialsRevoked> CREDENTIALS_REVOKED =
      Topic.of("ferry.auth.credentials-revoked", CredentialsRevoked.class);
  /**
   * Published by a dispatcher whenever a listener's liveness check ran. Every admin instance keeps the
   * latest in memory, so that whichever one answers shows it; the dispatcher instances that do not check the
   * listener follow it (pausing and resuming delivery), and one that takes the checks over goes on from it.
   */
  public static final Topic<ListenerLiveness> LISTENER_LIVENESS =
      Topic.of("ferry.admin.listener.liveness", ListenerLiveness.class);

  /**
   * Published by every listener-dispatcher instance each {@code dispatcher.peer-heartbeat-ms}, and once more
   * when it stops; the instances that hear each other split the liveness checks among themselves.
   */
  public static final Topic<DispatcherPresence> DISPATCHER_PRESENCE =
      Topic.of("ferry.dispatcher.presence", DispatcherPresence.class);

  private static final String SHARD_PREFIX = "ferry.messaging.shard.";

  /**
   * Served only by the messaging instance that owns {@code shard} (docs/scale-out.md): the other instances
   * forward the shard's operations here. No handler means no instance serves the shard at the moment.
   */
  public static Endpoint<ShardCall, ShardReply> messagingShard(int shard) {
    return Endpoint.of(SHARD_PREFIX + shard, ShardCall.class, ShardReply.class);
  }

  /**
   * Published by a messaging instance once it gave a shard up (the shard's number; -1 once a stopping instance
   * has given every shard up and left): the others that may take it run their lease round at once instead of at
   * the next one, so that the shard is without owner for as short a time as its load (docs/scale-out.md).
   */
  public static final Topic<Integer> MESSAGING_SHARD_RELEASED =
      Topic.of("ferry.messaging.shard-released", Integer.class);

  /**
   * Published by a messaging instance once a shard it gained serves (loaded, reachable on its address): an
   * instance handing its shards over a step at a time gives up the next step only once the last one serves
   * again, so that the new owner never loads more than a step while requests wait for it (docs/scale-out.md).
   */
  public static final Topic<Integer> MESSAGING_SHARD_SERVED =
      Topic.of("ferry.messaging.shard-served", Integer.class);

  private static final String INSTANCE_PREFIX = "ferry.messaging.instance.";

  /**
   * One messaging instance's own address for shard calls, registered for the instance's whole life: an owner's
   * answers name it ({@link ShardCall#OWNER_HEADER}), and the others then send the shard's calls straight there.
   * Unlike a shard's address it is not unregistered when a shard moves, so that calls on their way while a
   * shard leaves are refused ({@link ShardCall#NOT_THE_OWNER}) rather than dropped (docs/scale-out.md).
   */
  public static Endpoint<ShardCall, ShardReply> messagingInstance(String instanceId) {
    return Endpoint.of(INSTANCE_PREFIX + instanceId, ShardCall.class, ShardReply.class);
  }

  private static final String PUBLISHED_PREFIX = "ferry.queue.";
  private static final String PUBLISHED_SUFFIX = ".published";

  /**
   * Published by messaging-service after each durable append. One address per queue, so a gateway only
   * receives the queues its clients follow.
   */
  public static Topic<PublishedBatch> published(String queueId) {
    return Topic.of(PUBLISHED_PREFIX + queueId + PUBLISHED_SUFFIX, PublishedBatch.class);
  }
}

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
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Registers a codec for every payload record on an event bus; call once per Vert.x instance. */
public final class Codecs {

  private Codecs() {
  }

  public static void registerAll(EventBus bus) {
    register(bus, Ack.class, Ack::fromJson);
    register(bus, AckRequest.class, AckRequest::fromJson);
    register(bus, AckResult.class, AckResult::fromJson);
    register(bus, AuthRequest.class, AuthRequest::fromJson);
    register(bus, CheckpointRequest.class, CheckpointRequest::fromJson);
    register(bus, CredentialsRevoked.class, CredentialsRevoked::fromJson);
    register(bus, TokenSecret.class, TokenSecret::fromJson);
    register(bus, DispatcherPresence.class, DispatcherPresence::fromJson);
    register(bus, FerryEvent.class, FerryEvent::fromJson);
    register(bus, HistoryPage.class, HistoryPage::fromJson);
    register(bus, HistoryRequest.class, HistoryRequest::fromJson);
    register(bus, KeyRef.class, KeyRef::fromJson);
    register(bus, LeaseBatch.class, LeaseBatch::fromJson);
    register(bus, LeaseRequest.class, LeaseRequest::fromJson);
    register(bus, ListenerInfo.class, ListenerInfo::fromJson);
    register(bus, ListenerList.class, ListenerList::fromJson);
    register(bus, ListenerLiveness.class, ListenerLiveness::fromJson);
    register(bus, PublishRequest.class, PublishRequest::fromJson);
    register(bus, RedeliverRequest.class, RedeliverRequest::fromJson);
    register(bus, RedeliverResult.class, RedeliverResult::fromJson);
    register(bus, SubscriptionRef.class, SubscriptionRef::fromJson);
    register(bus, SubscriptionStats.class, SubscriptionStats::fromJson);
    register(bus, Principal.class, Principal::fromJson);
    register(bus, PublishedBatch.class, PublishedBatch::fromJson);
    register(bus, PurgeStatus.class, PurgeStatus::fromJson);
    register(bus, QueueInfo.class, QueueInfo::fromJson);
    register(bus, QueueLookup.class, QueueLookup::fromJson);
    register(bus, ResourceRef.class, ResourceRef::fromJson);
    register(bus, ShardCall.class, ShardCall::fromJson);
    register(bus, ShardReply.class, ShardReply::fromJson);
    register(bus, StoreCheckpoint.class, StoreCheckpoint::fromJson);
    register(bus, SubscriptionSpec.class, SubscriptionSpec::fromJson);
    register(bus, TopologySnapshot.class, TopologySnapshot::fromJson);
    register(bus, WebhookAttemptBatch.class, WebhookAttemptBatch::fromJson);
  }

  private static <T extends BusPayload> void register(EventBus bus, Class<T> type,
      Function<JsonObject, T> decoder) {
    bus.registerDefaultCodec(type, new RecordCodec<>(type, decoder));
  }
}

// Pulls what is waiting, prints each message, then acks the batch: node consumer.js
import { accountId, client, findOrCreateQueue, queueName } from './ferry.js';

const cf = client();
const account_id = await accountId(cf);
const queueId = await findOrCreateQueue(cf, account_id, queueName);

const pulled = await cf.queues.messages.pull(queueId, { account_id, batch_size: 10, visibility_timeout_ms: 30000 });
const messages = pulled.messages ?? [];
for (const message of messages) {
  // As on Cloudflare, a JSON or binary body comes back base64-encoded; a text body as it was pushed.
  const text = message.metadata?.['CF-Content-Type'] === 'text';
  const body = text ? message.body : Buffer.from(message.body, 'base64').toString('utf8');
  console.log(`received ${message.id} attempt ${message.attempts}: ${body}`);
}
// Ack what was processed; an unacked message is delivered again after its visibility timeout.
if (messages.length > 0) {
  const acked = await cf.queues.messages.ack(queueId, {
    account_id,
    acks: messages.map((m) => ({ lease_id: m.lease_id })),
  });
  console.log(`acked ${acked.ackCount ?? messages.length} messages`);
} else {
  console.log('no messages waiting');
}

// Pushes a batch of three orders: node producer.js
import { accountId, client, findOrCreateQueue, queueName } from './ferry.js';

const cf = client();
const account_id = await accountId(cf);
const queueId = await findOrCreateQueue(cf, account_id, queueName);

const runId = Date.now();
const messages = [1, 2, 3].map((n) => ({ body: { order: n, run: runId }, content_type: 'json' }));
await cf.queues.messages.bulkPush(queueId, { account_id, messages });
console.log(`pushed ${messages.length} messages to ${queueName}`);

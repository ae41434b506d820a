// The one place that knows it talks to Ferry rather than to Cloudflare: the base URL and the key.
// Everything else below is the official SDK used exactly as against api.cloudflare.com.
import Cloudflare from 'cloudflare';

export const queueName = process.env.QUEUE ?? 'orders-sdk';

export function client() {
  const key = process.env.FERRY_KEY;
  if (!key) {
    console.error('set FERRY_KEY to a Ferry API key (the bootstrap key printed at first start will do)');
    process.exit(2);
  }
  const url = process.env.FERRY_URL ?? 'http://localhost:8080';
  return new Cloudflare({ baseURL: `${url}/client/v4`, apiToken: key });
}

// A Ferry key belongs to one account; Cloudflare's API wants its id in every queue path.
export async function accountId(cf) {
  for await (const account of cf.accounts.list()) {
    return account.id;
  }
  throw new Error('the key sees no account');
}

// Finds the queue by name, or creates it with an HTTP pull consumer (as on Cloudflare, pull needs one).
export async function findOrCreateQueue(cf, account_id, queue_name) {
  for await (const queue of cf.queues.list({ account_id })) {
    if (queue.queue_name === queue_name) {
      return queue.queue_id;
    }
  }
  const created = await cf.queues.create({ account_id, queue_name });
  await cf.queues.consumers.create(created.queue_id, { account_id, type: 'http_pull' });
  console.log(`created queue ${queue_name} (${created.queue_id})`);
  return created.queue_id;
}

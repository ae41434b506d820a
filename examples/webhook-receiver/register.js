// Registers a discue listener for the receiver and returns its secret, which Ferry shows only at creation:
// a listener of the same name left from an earlier run is replaced, since its secret is no longer known.
const ferry = process.env.FERRY_URL ?? 'http://localhost:8080';
const queueName = process.env.QUEUE ?? 'invoices-hooks';
const listenerName = process.env.LISTENER ?? 'example-receiver';

async function call(method, path, body) {
  const key = process.env.FERRY_KEY;
  if (!key) {
    console.error('set WEBHOOK_SECRET, or FERRY_KEY to a Ferry API key to register a listener');
    process.exit(2);
  }
  const response = await fetch(ferry + path, {
    method,
    headers: { 'X-API-KEY': key, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.status === 204 ? null : response.json();
}

export async function registerListener(notifyUrl, livenessUrl) {
  const { queues } = await call('GET', '/v1/queues');
  let queue = queues.find((q) => q.name === queueName);
  if (!queue) {
    queue = (await call('POST', '/v1/queues', { name: queueName })).queue;
  }
  const listeners = `/v1/queues/${queue.id}/listeners`;
  for (const old of (await call('GET', listeners)).listeners.filter((l) => l.name === listenerName)) {
    await call('DELETE', `${listeners}/${old.id}`);
  }
  const { listener } = await call('POST', listeners,
    { name: listenerName, notify_url: notifyUrl, liveness_url: livenessUrl });
  return { ...listener, queueName };
}

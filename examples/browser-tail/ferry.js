// Server side only: the API key stays here and is sent in a header, never in a URL. What a browser gets is a
// listen token for one queue and id that expires (auth.sonya-token-ttl-seconds, 60 s by default).
export const ferryUrl = process.env.FERRY_URL ?? 'http://localhost:8080';

function apiKey() {
  const key = process.env.FERRY_KEY;
  if (!key) {
    console.error('set FERRY_KEY to a Ferry API key (the bootstrap key printed at first start will do)');
    process.exit(2);
  }
  return key;
}

async function post(path, body) {
  const response = await fetch(ferryUrl + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

const segment = encodeURIComponent;

/** Creates the Sonya queue if it does not exist yet (idempotent). */
export function createQueue(queue) {
  return post(`/queue/create/${segment(queue)}`);
}

/** A fresh listen token for one queue and id, from Sonya's generate_jwt. */
export async function listenToken(queue, id) {
  return (await post(`/queue/generate_jwt/${segment(queue)}/${segment(id)}`)).token;
}

export const ferryWebSocketUrl = ferryUrl.replace(/^http/, 'ws');

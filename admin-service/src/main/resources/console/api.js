// The public APIs, called with the signed-in key: Cloudflare dialect (Bearer), discue (X-API-KEY), Sonya.
// The key lives in this tab's sessionStorage only: never in a URL, a cookie or localStorage.

const KEY = 'ferry.console.key';
const ACCOUNT = 'ferry.console.account';
const ACCOUNTS = 'ferry.console.accounts';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  account: () => sessionStorage.getItem(ACCOUNT),
  /** The accounts the key sees, [{id, name}]: a root key may see several. */
  accounts: () => JSON.parse(sessionStorage.getItem(ACCOUNTS) || '[]'),
  signIn(key, accounts) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ACCOUNTS, JSON.stringify(accounts.map(a => ({ id: a.id, name: a.name }))));
    sessionStorage.setItem(ACCOUNT, accounts[0].id);
  },
  switchTo(account) {
    sessionStorage.setItem(ACCOUNT, account);
  },
  signOut() {
    [KEY, ACCOUNT, ACCOUNTS].forEach(name => sessionStorage.removeItem(name));
  },
};

async function call(url, { method = 'GET', body, headers = {}, key = session.key(), signal } = {}) {
  const sent = { ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method, headers: sent, signal, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    if (response.status === 401 && key === session.key()) {
      window.dispatchEvent(new CustomEvent('ferry:unauthorized'));
    }
    throw new ApiError(response.status, problem(json, text, response));
  }
  return json;
}

function problem(json, text, response) {
  if (json && Array.isArray(json.errors) && json.errors.length) return json.errors.map(e => e.message).join('; ');
  if (json && (json.detail || json.title)) return [json.title, json.detail].filter(Boolean).join(': ');
  if (json && json.message) return json.message;
  return response.status + ' ' + (response.statusText || text.slice(0, 200));
}

const bearer = key => ({ Authorization: 'Bearer ' + key });

/** The accounts a key can see (Cloudflare's GET /accounts), to find the one to work in. */
export async function accountsOf(key) {
  return (await call('/client/v4/accounts', { headers: bearer(key), key })).result;
}

/** Cloudflare dialect, under the signed-in account; answers the envelope's result (and result_info). */
export const cf = {
  async request(method, path, body) {
    const json = await call('/client/v4/accounts/' + encodeURIComponent(session.account()) + path,
      { method, body, headers: bearer(session.key()) });
    return json ? json.result : null;
  },
  get: path => cf.request('GET', path),
  post: (path, body) => cf.request('POST', path, body === undefined ? {} : body),
  patch: (path, body) => cf.request('PATCH', path, body),
  del: path => cf.request('DELETE', path),
};

/** discue dialect (/v1): answers the body, resources wrapped under their name. */
export const discue = {
  request: (method, path, body) => call(path.startsWith('/v1/') ? path : '/v1' + path,
    { method, body, headers: { 'X-API-KEY': session.key() } }),
  get: path => discue.request('GET', path),
  post: (path, body) => discue.request('POST', path, body),
  put: (path, body) => discue.request('PUT', path, body),
  del: path => discue.request('DELETE', path),
};

/** Sonya dialect (/queue). */
export const sonya = {
  longPoll: (queueName, sequence, signal) => call('/queue/listen/longpoll/' + encodeURIComponent(queueName)
    + '?timeout_ms=20000' + (sequence === null ? '' : '&sequence=' + encodeURIComponent(sequence)),
  { headers: bearer(session.key()), signal }),
  /** A short-lived listen token for one id, or with no id for every message of the queue (Ferry's extension). */
  listenToken: (queueName, id) => call('/queue/generate_jwt/' + encodeURIComponent(queueName)
    + (id === null ? '' : '/' + encodeURIComponent(id)), { method: 'POST', headers: bearer(session.key()) }),
};

export const q = id => '/queues/' + encodeURIComponent(id);

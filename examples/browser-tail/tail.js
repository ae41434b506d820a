// Follows one id of a Sonya queue over Ferry's WebSocket and survives disconnects without gaps or duplicates:
// each (re)connect asks for a fresh listen token and resumes at ?sequence= of the last message seen + 1.
// Runs in a browser (pass window.WebSocket) and under Node (pass the `ws` package's WebSocket).

/**
 * @param {object} options
 * @param {string} options.url        Ferry's WebSocket base, e.g. ws://localhost:8080
 * @param {string} options.queue      the Sonya queue name
 * @param {string} options.id         the message id (key) to follow
 * @param {() => Promise<string>} options.token  a fresh token from /queue/generate_jwt (never an API key:
 *                                    it goes in the URL, where proxies and browser history keep it)
 * @param {typeof WebSocket} options.WebSocket
 * @param {string|number} [options.from]  first connect: a sequence, 'first' (everything retained) or
 *                                    'last'; omitted: only messages sent from now on
 * @param {(frame: {id: string, sequence: number, payload: unknown}) => void} options.onMessage
 * @param {(status: string) => void} [options.onStatus]
 * @param {number} [options.retryMs]  pause before reconnecting
 * @returns {{ stop(): void, next(): number|null }}
 */
export function followQueue({ url, queue, id, token, WebSocket, from, onMessage, onStatus = () => {},
  retryMs = 500 }) {
  let next = null; // the sequence to resume at: last one seen + 1
  let socket = null;
  let stopped = false;

  async function connect() {
    const start = next ?? from;
    const query = new URLSearchParams();
    if (start !== undefined && start !== null) {
      query.set('sequence', String(start));
    }
    let jwt;
    try {
      jwt = await token();
    } catch (error) {
      onStatus(`no token (${error.message}); retrying`);
      retry();
      return;
    }
    query.set('access_token', jwt);
    const path = `/queue/listen/ws/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
    socket = new WebSocket(`${url}${path}?${query}`);
    socket.onopen = () => onStatus(next === null ? `connected (from ${start ?? 'now'})`
      : `resumed from sequence ${next}`);
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      // Ferry replays from exactly ?sequence=, so this never drops anything; it guards a reconnect that
      // raced a frame already delivered on the old socket.
      if (next !== null && frame.sequence < next) {
        return;
      }
      next = frame.sequence + 1;
      onMessage(frame);
    };
    // An expired token ends the socket with 1008, a consumer that fell behind with 1013, a restart with 1001
    // or 1006: every one of them is resumed the same way.
    socket.onclose = (event) => {
      onStatus(`closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`);
      retry();
    };
    socket.onerror = () => {}; // onclose follows, and says enough
  }

  function retry() {
    if (!stopped) {
      setTimeout(connect, retryMs);
    }
  }

  connect();
  return {
    stop() {
      stopped = true;
      socket?.close(1000);
    },
    next: () => next,
  };
}

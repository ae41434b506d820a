// Live tail over the Sonya WebSocket, for one id or the whole queue. A browser WebSocket cannot send an
// Authorization header and the API key never goes into a URL, so the socket carries a short-lived listen
// token from generate_jwt instead, renewed before it expires. A server without the queue-wide token (its
// route answers 404) is followed over the long-poll route, whose credential goes in a header. Pause keeps
// the last sequence seen; resume continues after it, or from the sequence typed in.
import { ApiError, cf, q, sonya } from '../api.js';
import { field, h, replace, status } from '../dom.js';
import { queueTabs } from './tabs.js';

const MAX_LINES = 500;
// Fetch the next token this long before the current one expires, so a reconnect at expiry does not wait.
const RENEW_AHEAD_MS = 10_000;
// A socket that closes without ever opening (refused upgrade, server gone) is retried this often, then given up.
const MAX_FAILED_OPENS = 3;
const RETRY_MS = 1_000;

export function render(page, queueId) {
  let queueName = null;
  let running = false;
  let lastSequence = null;
  let socket = null;
  let poll = null;
  let retry = null;
  let renewal = null;
  let nextToken = null;
  const id = h('input', { type: 'text', id: 'tail-id', placeholder: 'whole queue' });
  const from = h('input', { type: 'text', id: 'tail-from', placeholder: 'live, first, last or a number' });
  const start = h('button', { type: 'submit', id: 'tail-start' }, 'Start');
  const pause = h('button', { type: 'button', id: 'tail-pause', disabled: true, onclick: stop }, 'Pause');
  const note = h('p', { class: 'status', role: 'status', id: 'tail-status' });
  const lines = h('ol', { class: 'tail', id: 'tail-lines', 'aria-live': 'polite' });
  const title = h('h1', null, 'Live tail');
  replace(page, title, queueTabs(queueId, 'Live tail'),
    h('form', { class: 'card', onsubmit: event => { event.preventDefault(); begin(); } },
      field('Message id (key)', id), field('From sequence', from), start, ' ', pause,
      h('p', { class: 'muted' }, 'Leave the sequence empty to follow new messages; after a pause it resumes after '
        + 'the last one shown.')),
    note, lines);

  cf.get(q(queueId)).then(queue => {
    queueName = queue.queue_name;
    title.textContent = 'Live tail of ' + queueName;
  }, e => status(note, e.message, 'error'));

  function begin() {
    if (!queueName || running) return;
    const typed = from.value.trim();
    const sequence = typed !== '' ? typed : resumeAt(null);
    running = true;
    start.disabled = true;
    pause.disabled = false;
    nextToken = null;
    follow(id.value.trim() || null, sequence, 0);
  }

  function stop() {
    running = false;
    start.disabled = false;
    pause.disabled = true;
    start.textContent = 'Resume';
    from.value = lastSequence === null ? '' : String(lastSequence + 1);
    release();
    status(note, 'Paused' + (lastSequence === null ? '' : ' after sequence ' + lastSequence), 'muted');
  }

  function release() {
    if (socket) socket.close(1000);
    socket = null;
    if (poll) poll.abort();
    poll = null;
    clearTimeout(retry);
    clearTimeout(renewal);
    nextToken = null;
  }

  function fail(message) {
    status(note, message, 'error');
    stop();
  }

  // After the last message shown, or where the tail began when none was shown yet.
  function resumeAt(startedAt) {
    return lastSequence === null ? startedAt : String(lastSequence + 1);
  }

  function show(message) {
    if (typeof message.sequence === 'number') lastSequence = message.sequence;
    const payload = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
    lines.prepend(h('li', { 'data-sequence': message.sequence },
      h('span', { class: 'seq' }, '#', message.sequence), ' ', h('code', null, message.id), ' ',
      h('span', { class: 'payload' }, payload)));
    while (lines.children.length > MAX_LINES) lines.lastElementChild.remove();
  }

  async function longPoll(sequence) {
    status(note, 'Following the whole queue over long poll', 'ok');
    let next = sequence;
    while (running) {
      poll = new AbortController();
      try {
        const messages = await sonya.longPoll(queueName, next, poll.signal);
        for (const message of messages || []) show(message);
        next = resumeAt(next);
      } catch (e) {
        if (!running) return;
        fail(e.message);
        return;
      }
    }
  }

  // A token still good for a few seconds (renewed ahead of expiry), else a new one.
  async function listenToken(key) {
    const ready = nextToken;
    nextToken = null;
    if (ready && ready.key === key && ready.expiration * 1000 - Date.now() > 2_000) return ready;
    return { key, ...(await sonya.listenToken(queueName, key)) };
  }

  function renewBeforeExpiry(token) {
    clearTimeout(renewal);
    renewal = setTimeout(() => {
      if (!running) return;
      sonya.listenToken(queueName, token.key).then(renewed => {
        if (running) nextToken = { key: token.key, ...renewed };
      }, () => { /* the reconnect at expiry asks again, and reports what fails then */ });
    }, Math.max(0, token.expiration * 1000 - Date.now() - RENEW_AHEAD_MS));
  }

  // key null: every message of the queue.
  async function follow(key, sequence, failedOpens) {
    let token;
    try {
      token = await listenToken(key);
    } catch (e) {
      if (!running) return;
      if (key === null && e instanceof ApiError && e.status === 404) {
        longPoll(sequence);
        return;
      }
      fail(e.message);
      return;
    }
    if (!running) return;
    renewBeforeExpiry(token);
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    // The listen token is short-lived and allows listening to this queue (or id) only; the key stays in this tab.
    const url = scheme + location.host + '/queue/listen/ws/' + encodeURIComponent(queueName)
      + (key === null ? '' : '/' + encodeURIComponent(key)) + '?access_token=' + encodeURIComponent(token.token)
      + (sequence === null ? '' : '&sequence=' + encodeURIComponent(sequence));
    const opened = new WebSocket(url);
    let wasOpen = false;
    socket = opened;
    opened.onopen = () => {
      wasOpen = true;
      status(note, (key === null ? 'Following the whole queue' : 'Following id ' + key) + ' over the WebSocket',
        'ok');
    };
    opened.onmessage = event => {
      try {
        show(JSON.parse(event.data));
      } catch (e) {
        status(note, 'Unreadable frame', 'error');
      }
    };
    opened.onclose = event => {
      if (socket !== opened || !running) return;
      socket = null;
      const failures = wasOpen ? 0 : failedOpens + 1;
      if (failures >= MAX_FAILED_OPENS) {
        fail('Closed (' + event.code + (event.reason ? ': ' + event.reason : '') + ')');
        return;
      }
      // 1008: the listen token expired; 1013: this tab fell behind. Both resume at once after the last message;
      // any other close resumes there too, after a moment.
      const resume = () => { if (running) follow(key, resumeAt(sequence), failures); };
      if (event.code === 1008 || event.code === 1013) resume();
      else {
        status(note, 'Reconnecting (' + event.code + ')', 'muted');
        retry = setTimeout(resume, RETRY_MS);
      }
    };
  }

  return () => { running = false; release(); };
}

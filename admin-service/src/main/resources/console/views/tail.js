// Live tail over Sonya: one id over the WebSocket (with a short-lived listen token, renewed when it
// expires), or the whole queue over the long-poll route (whose credential goes in a header: a browser
// WebSocket cannot send one, and the API key never goes into a URL). Pause keeps the last sequence seen;
// resume continues after it, or from the sequence typed in.
import { cf, q, sonya } from '../api.js';
import { field, h, replace, status } from '../dom.js';
import { queueTabs } from './tabs.js';

const MAX_LINES = 500;

export function render(page, queueId) {
  let queueName = null;
  let running = false;
  let lastSequence = null;
  let socket = null;
  let poll = null;
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
    const sequence = typed !== '' ? typed : lastSequence === null ? null : String(lastSequence + 1);
    running = true;
    start.disabled = true;
    pause.disabled = false;
    if (id.value.trim()) follow(id.value.trim(), sequence);
    else longPoll(sequence);
  }

  function stop() {
    running = false;
    start.disabled = false;
    pause.disabled = true;
    start.textContent = 'Resume';
    from.value = lastSequence === null ? '' : String(lastSequence + 1);
    if (socket) socket.close(1000);
    socket = null;
    if (poll) poll.abort();
    poll = null;
    status(note, 'Paused' + (lastSequence === null ? '' : ' after sequence ' + lastSequence), 'muted');
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
    status(note, 'Following the whole queue', 'ok');
    let next = sequence;
    while (running) {
      poll = new AbortController();
      try {
        const messages = await sonya.longPoll(queueName, next, poll.signal);
        for (const message of messages || []) show(message);
        if (lastSequence !== null) next = String(lastSequence + 1);
      } catch (e) {
        if (!running) return;
        status(note, e.message, 'error');
        stop();
        return;
      }
    }
  }

  async function follow(key, sequence) {
    let token;
    try {
      token = (await sonya.listenToken(queueName, key)).token;
    } catch (e) {
      status(note, e.message, 'error');
      stop();
      return;
    }
    if (!running) return;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    // The listen token is short-lived and good for this queue and id only; the API key stays in this tab.
    const url = scheme + location.host + '/queue/listen/ws/' + encodeURIComponent(queueName) + '/'
      + encodeURIComponent(key) + '?access_token=' + encodeURIComponent(token)
      + (sequence === null ? '' : '&sequence=' + encodeURIComponent(sequence));
    const opened = new WebSocket(url);
    socket = opened;
    opened.onopen = () => status(note, 'Following id ' + key + ' over the WebSocket', 'ok');
    opened.onmessage = event => {
      try {
        show(JSON.parse(event.data));
      } catch (e) {
        status(note, 'Unreadable frame', 'error');
      }
    };
    opened.onclose = event => {
      if (socket !== opened || !running) return;
      // 1008: the listen token expired; 1013: this tab fell behind. Both resume after the last message.
      if (event.code === 1008 || event.code === 1013) {
        follow(key, lastSequence === null ? null : String(lastSequence + 1));
      } else {
        status(note, 'Closed (' + event.code + (event.reason ? ': ' + event.reason : '') + ')', 'error');
        stop();
      }
    };
  }

  return () => { running = false; if (socket) socket.close(1000); if (poll) poll.abort(); };
}

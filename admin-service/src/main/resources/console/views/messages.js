// Message browser: peek (no lease), find by id, send a test message, pull with a lease and ack or retry.
import { cf, discue, q } from '../api.js';
import { field, h, replace, status, time } from '../dom.js';
import { decodedBody } from '../body.js';
import { queueTabs } from './tabs.js';

export function render(page, queueId) {
  const list = h('div', { id: 'message-list' });
  const detail = h('section', { class: 'card', id: 'message-detail', 'aria-live': 'polite' });
  const note = h('p', { class: 'status', role: 'status' });
  const count = h('input', { type: 'number', min: 1, max: 100, value: 20 });
  const search = h('input', { type: 'text', placeholder: '32 hex characters', pattern: '[0-9a-f]{32}' });
  const type = h('select', null, h('option', { value: 'json' }, 'JSON'), h('option', { value: 'text' }, 'Text'));
  const text = h('textarea', { rows: 4, id: 'send-body' }, '{"hello": "ferry"}');
  const sent = h('span', { class: 'status', role: 'status', id: 'send-status' });
  const title = h('h1', null, 'Messages');
  let peeked = [];

  replace(page, title, queueTabs(queueId, 'Messages'),
    h('section', { class: 'card' }, h('h2', null, 'Browse'),
      h('div', { class: 'toolbar' },
        h('form', { class: 'inline', onsubmit: event => { event.preventDefault(); peek(); } },
          field('How many', count), h('button', { type: 'submit', id: 'peek' }, 'Peek')),
        h('form', { class: 'inline', onsubmit: event => { event.preventDefault(); find(search.value.trim()); } },
          field('Message id', search), h('button', { type: 'submit' }, 'Find')),
        h('button', { type: 'button', id: 'pull', onclick: pull }, 'Pull with lease')),
      h('p', { class: 'muted' }, 'Peek shows messages without taking them. Pull leases them for a minute, '
        + 'like a consumer: ack deletes, retry puts back.'),
      note, h('div', { class: 'scroll' }, list)),
    detail,
    h('section', { class: 'card' }, h('h2', null, 'Send a test message'),
      h('form', { id: 'send', onsubmit: send }, field('Content type', type), field('Body', text),
        h('button', { type: 'submit' }, 'Send'), ' ', sent)));

  cf.get(q(queueId)).then(queue => { title.textContent = 'Messages of ' + queue.queue_name; }, () => {});

  async function send(event) {
    event.preventDefault();
    let body = text.value;
    if (type.value === 'json') {
      try {
        body = JSON.parse(text.value);
      } catch (e) {
        status(sent, 'Not JSON: ' + e.message, 'error');
        return;
      }
    }
    try {
      const result = await cf.post(q(queueId) + '/messages', { body, content_type: type.value });
      const backlog = result && result.metadata && result.metadata.metrics
        ? ' (backlog ' + result.metadata.metrics.backlog_count + ')' : '';
      status(sent, 'Sent' + backlog, 'ok');
    } catch (e) {
      status(sent, e.message, 'error');
    }
  }

  async function peek() {
    try {
      const result = await cf.post(q(queueId) + '/messages/peek', { batch_size: Number(count.value) || 20 });
      peeked = result.messages || [];
      table(peeked, false);
      status(note, peeked.length + ' message(s)', 'muted');
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function find(id) {
    const known = peeked.find(m => m.id === id);
    if (known) {
      open(known);
      return;
    }
    try {
      const found = await discue.get('/queues/' + encodeURIComponent(queueId) + '/messages/' + encodeURIComponent(id));
      const m = found.message;
      replace(detail, h('h2', null, 'Message ', h('code', null, m.id)),
        h('p', { class: 'muted' }, 'Name: ', m.name ?? '—'), h('pre', { class: 'body' }, String(m.data ?? '')));
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function pull() {
    try {
      const result = await cf.post(q(queueId) + '/messages/pull', { batch_size: 10, visibility_timeout_ms: 60000 });
      table(result.messages || [], true);
      status(note, (result.messages || []).length + ' leased message(s)', 'muted');
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function settle(message, row, kind) {
    try {
      const result = await cf.post(q(queueId) + '/messages/ack', kind === 'ack'
        ? { acks: [{ lease_id: message.lease_id }], retries: [] }
        : { acks: [], retries: [{ lease_id: message.lease_id }] });
      const warnings = Object.values(result.warnings || {});
      row.querySelector('.settled').textContent = warnings.length ? warnings.join('; ')
        : kind === 'ack' ? 'acked' : 'retried';
      row.querySelectorAll('button.settle').forEach(b => { b.disabled = true; });
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  function settleButton(label, onclick) {
    return h('button', { type: 'button', class: 'settle', onclick }, label);
  }

  function table(messages, leased) {
    replace(list, h('table', null,
      h('thead', null, h('tr', null, ['Id', 'Time', 'Attempts', 'Type', ''].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', null, messages.map(m => {
        const row = h('tr', { 'data-message-id': m.id },
          h('td', null, h('code', null, m.id)),
          h('td', null, time(m.timestamp_ms)),
          h('td', { class: 'num' }, m.attempts),
          h('td', null, (m.metadata && m.metadata['CF-Content-Type']) || 'json'),
          h('td', null, h('button', { type: 'button', class: 'open', onclick: () => open(m) }, 'Open'),
            leased ? [' ', settleButton('Ack', () => settle(m, row, 'ack')),
              ' ', settleButton('Retry', () => settle(m, row, 'retry')),
              ' ', h('span', { class: 'settled' })] : null));
        return row;
      }))));
    if (messages.length === 0) list.append(h('p', { class: 'muted' }, 'No messages.'));
  }

  function open(message) {
    const deliveries = h('div', { class: 'scroll' });
    replace(detail, h('h2', null, 'Message ', h('code', null, message.id)),
      h('p', { class: 'muted' }, 'Sent ', time(message.timestamp_ms), ', ', message.attempts, ' attempt(s)'),
      decodedBody(message), deliveries);
    detail.setAttribute('tabindex', '-1');
    detail.focus();
    webhookAttempts(message.id, deliveries);
  }

  // Its deliveries to the queue's webhook listeners, where the server keeps an attempt log.
  async function webhookAttempts(messageId, into) {
    try {
      const answer = await discue.get('/queues/' + encodeURIComponent(queueId) + '/messages/'
        + encodeURIComponent(messageId) + '/attempts');
      const rows = answer.attempts || [];
      if (rows.length === 0) return;
      replace(into, h('h3', null, 'Webhook deliveries'), h('table', null,
        h('thead', null, h('tr', null, ['Time', '#', 'Outcome', 'Status', 'Latency']
          .map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows.map(a => h('tr', null, h('td', null, time(a.timestamp)),
          h('td', { class: 'num' }, a.attempt), h('td', null, a.outcome),
          h('td', { class: 'num' }, a.status_code ?? '—'),
          h('td', { class: 'num' }, a.latency_ms, ' ms'))))));
    } catch (e) {
      // No attempt log on this server, or none for this message: nothing to show.
    }
  }

  peek();
}

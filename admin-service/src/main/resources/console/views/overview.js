// Every queue of the account at a glance, refreshed every few seconds; sortable and filterable.
import { cf, discue, q } from '../api.js';
import { age, field, h, link, replace, status } from '../dom.js';
import { latest } from './history.js';

const REFRESH_MS = 5000;

// [key, heading, shown on narrow screens too]
const columns = [
  ['queue_name', 'Queue', true],
  ['backlog', 'Backlog', true],
  ['oldest', 'Oldest', true],
  ['leased', 'In flight', false],
  ['push_rate', 'Push/s', false],
  ['ack_rate', 'Ack/s', false],
  ['dead_lettered', 'Dead-lettered', true],
  ['consumers', 'Consumers', false],
  ['listeners', 'Listeners', false],
];
const wide = key => (columns.find(c => c[0] === key)[2] ? '' : ' wide-only');

export function render(page) {
  let rows = [];
  let sortKey = 'queue_name';
  let descending = false;
  const filter = h('input', { type: 'search', placeholder: 'part of a name', oninput: draw });
  const body = h('tbody');
  const note = h('p', { class: 'status', role: 'status' });
  const head = h('tr', null, columns.map(([key, label, narrow]) => h('th',
    { scope: 'col', class: narrow ? null : 'wide-only' },
    h('button', { type: 'button', class: 'sort', 'data-key': key, onclick: () => {
      descending = sortKey === key ? !descending : key !== 'queue_name';
      sortKey = key;
      draw();
    } }, label))));
  const name = h('input', { type: 'text', required: true, pattern: '[A-Za-z0-9._~/\\-]{1,128}' });
  const createNote = h('span', { class: 'status', role: 'status' });
  const create = h('form', { class: 'inline', onsubmit: async event => {
    event.preventDefault();
    try {
      await cf.post('/queues', { queue_name: name.value });
      status(createNote, 'Created ' + name.value, 'ok');
      name.value = '';
      refresh();
    } catch (e) {
      status(createNote, e.message, 'error');
    }
  } }, field('New queue', name), h('button', { type: 'submit' }, 'Create'), createNote);

  replace(page, h('h1', null, 'Queues'),
    h('div', { class: 'toolbar' }, field('Filter', filter), create),
    note,
    h('div', { class: 'scroll' }, h('table', { id: 'queues' }, h('thead', null, head), body)));

  function draw() {
    const text = filter.value.trim().toLowerCase();
    const shown = rows.filter(row => row.queue_name.toLowerCase().includes(text));
    shown.sort((a, b) => {
      const x = a[sortKey] ?? -1;
      const y = b[sortKey] ?? -1;
      const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return descending ? -order : order;
    });
    head.querySelectorAll('button.sort').forEach(button => button.setAttribute('aria-pressed',
      String(button.dataset.key === sortKey)));
    replace(body, shown.map(row => h('tr', { 'data-queue-id': row.queue_id },
      h('th', { scope: 'row' }, link(row.queue_name, 'queue', row.queue_id)),
      h('td', { class: 'num backlog' }, row.backlog ?? '…'),
      h('td', { class: 'num' }, row.oldest ? age(row.oldest) : '—'),
      h('td', { class: 'num' + wide('leased') }, row.leased ?? '—'),
      h('td', { class: 'num' + wide('push_rate') }, row.push_rate ?? '—'),
      h('td', { class: 'num' + wide('ack_rate') }, row.ack_rate ?? '—'),
      h('td', { class: 'num' + wide('dead_lettered') }, row.dead_lettered ?? '—'),
      h('td', { class: wide('consumers') }, row.consumer_label),
      h('td', { class: 'num' + wide('listeners') }, row.listeners))));
    if (shown.length === 0) body.append(h('tr', null, h('td', { colspan: columns.length }, 'No queues.')));
  }

  async function refresh() {
    try {
      const [queues, listenerList] = await Promise.all([cf.get('/queues?per_page=1000'),
        discue.get('/listeners').catch(() => ({ listeners: [] }))]);
      const listenerCount = {};
      for (const listener of listenerList.listeners || []) {
        listenerCount[listener.queue_id] = (listenerCount[listener.queue_id] || 0) + 1;
      }
      rows = await Promise.all(queues.map(async queue => {
        const [metrics, point] = await Promise.all([cf.get(q(queue.queue_id) + '/metrics').catch(() => null),
          latest(queue.queue_id)]);
        return {
          queue_id: queue.queue_id,
          queue_name: queue.queue_name,
          backlog: metrics ? metrics.backlog_count : null,
          oldest: metrics ? metrics.oldest_message_timestamp_ms : null,
          leased: point ? point.leased_count : null,
          push_rate: point ? rate(point.pushed, point.resolution) : null,
          ack_rate: point ? rate(point.acked, point.resolution) : null,
          consumers: queue.consumers_total_count,
          consumer_label: ((queue.consumers || []).map(c => c.type).join(', ') || '—')
            + (queue.settings && queue.settings.delivery_paused ? ' (paused)' : ''),
          listeners: listenerCount[queue.queue_id] || 0,
          dead_letter_queue: (queue.consumers || []).map(c => c.dead_letter_queue).find(Boolean) || null,
        };
      }));
      // Dead-lettered: what waits in the queue's dead-letter queue.
      const backlogByName = Object.fromEntries(rows.map(row => [row.queue_name, row.backlog]));
      rows.forEach(row => { row.dead_lettered = row.dead_letter_queue ? backlogByName[row.dead_letter_queue] : null; });
      status(note, 'Updated ' + new Date().toLocaleTimeString(), 'muted');
      draw();
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function rate(count, resolution) {
  return Math.round((count / resolution) * 10) / 10;
}

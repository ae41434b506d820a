// Every queue of the account at a glance, refreshed every few seconds; sortable and filterable.
import { cf, discue, q } from '../api.js';
import { age, field, h, link, replace, status } from '../dom.js';
import { latest } from './history.js';

const REFRESH_MS = 5000;

const columns = [
  ['queue_name', 'Queue'],
  ['backlog', 'Backlog'],
  ['oldest', 'Oldest'],
  ['leased', 'In flight'],
  ['push_rate', 'Push/s'],
  ['ack_rate', 'Ack/s'],
  ['consumers', 'Consumers'],
  ['listeners', 'Listeners'],
];

export function render(page) {
  let rows = [];
  let sortKey = 'queue_name';
  let descending = false;
  const filter = h('input', { type: 'search', placeholder: 'part of a name', oninput: draw });
  const body = h('tbody');
  const note = h('p', { class: 'status', role: 'status' });
  const head = h('tr', null, columns.map(([key, label]) => h('th', { scope: 'col' },
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
      h('td', { class: 'num' }, row.leased ?? '—'),
      h('td', { class: 'num' }, row.push_rate ?? '—'),
      h('td', { class: 'num' }, row.ack_rate ?? '—'),
      h('td', null, row.consumer_label),
      h('td', { class: 'num' }, row.listeners))));
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
        };
      }));
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

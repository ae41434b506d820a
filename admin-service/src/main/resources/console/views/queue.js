// One queue: numbers, graphs, settings, pause/resume, purge, consumer and dead-letter queue, subscriptions.
import { cf, q } from '../api.js';
import { age, field, h, link, replace, status } from '../dom.js';
import { chart, noData } from './chart.js';
import { history } from './history.js';
import { queueTabs } from './tabs.js';

const REFRESH_MS = 10000;

export function render(page, queueId) {
  let queue = null;
  const title = h('h1', null, 'Queue');
  const numbers = h('dl', { class: 'numbers' });
  const graphs = h('section', { class: 'card', 'aria-label': 'Graphs' });
  const settings = h('section', { class: 'card' });
  const consumer = h('section', { class: 'card' });
  const purge = h('section', { class: 'card danger' });
  const subscriptions = h('section', { class: 'card' });
  const note = h('p', { class: 'status', role: 'status' });
  replace(page, title, queueTabs(queueId, 'Overview'), note, numbers, graphs, settings, consumer, purge,
    subscriptions);

  async function load() {
    try {
      queue = await cf.get(q(queueId));
      title.textContent = queue.queue_name;
      drawSettings();
      drawConsumer();
      drawPurge();
      drawSubscriptions();
      await refresh();
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function refresh() {
    const [metrics, past] = await Promise.all([cf.get(q(queueId) + '/metrics'), history(queueId, 60)]);
    const point = past && past.points.length ? past.points[past.points.length - 1] : null;
    replace(numbers,
      h('div', null, h('dt', null, 'Backlog'), h('dd', { id: 'backlog' }, metrics.backlog_count)),
      h('div', null, h('dt', null, 'Bytes'), h('dd', null, metrics.backlog_bytes)),
      h('div', null, h('dt', null, 'Oldest'), h('dd', null, age(metrics.oldest_message_timestamp_ms))),
      h('div', null, h('dt', null, 'In flight'), h('dd', null, point ? point.leased_count : '—')),
      h('div', null, h('dt', null, 'Delivery'), h('dd', null, queue.settings.delivery_paused ? 'paused' : 'on')));
    drawGraphs(past);
  }

  function drawGraphs(past) {
    replace(graphs, h('h2', null, 'Last hour'));
    if (!past) {
      graphs.append(noData('No data yet: this server keeps no queue history.'));
      return;
    }
    if (past.points.length === 0) {
      graphs.append(noData('No data yet: the server records a point every ' + past.resolution_seconds + ' s.'));
      return;
    }
    const perSecond = value => p => value(p) / past.resolution_seconds;
    const backlog = h('div', { class: 'chart' });
    const rates = h('div', { class: 'chart' });
    graphs.append(backlog, rates);
    chart(backlog, 'Backlog', ['messages', 'in flight'], past, [p => p.backlog_count, p => p.leased_count]);
    chart(rates, 'Rates (per second)', ['pushed', 'acked', 'dead-lettered'], past,
      [perSecond(p => p.pushed), perSecond(p => p.acked), perSecond(p => p.dead_lettered)]);
  }

  function drawSettings() {
    const s = queue.settings;
    const delay = h('input', { type: 'number', id: 'delivery-delay', min: 0, max: 43200, value: s.delivery_delay });
    const retention = h('input', { type: 'number', id: 'retention', min: 60, max: 1209600,
      value: s.message_retention_period });
    const saved = h('span', { class: 'status', role: 'status' });
    const pause = h('button', { type: 'button', id: 'pause', onclick: () =>
      save({ delivery_paused: !queue.settings.delivery_paused }) },
    s.delivery_paused ? 'Resume delivery' : 'Pause delivery');
    async function save(changed) {
      try {
        // PATCH: only the fields sent change. (PUT would reset every omitted setting to its default.)
        queue = await cf.patch(q(queueId), { settings: changed });
        drawSettings();
        refresh();
      } catch (e) {
        status(saved, e.message, 'error');
      }
    }
    replace(settings, h('h2', null, 'Settings'),
      h('p', { class: 'muted' }, 'Saving changes only the fields you edit (PATCH); other settings keep their values.'),
      h('form', { id: 'settings', onsubmit: event => {
        event.preventDefault();
        save({ delivery_delay: Number(delay.value), message_retention_period: Number(retention.value) });
      } }, field('Delivery delay (s)', delay), field('Retention (s)', retention),
      h('button', { type: 'submit' }, 'Save settings'), ' ', saved),
      h('p', null, 'Delivery is ', h('strong', null, s.delivery_paused ? 'paused' : 'on'), '. ', pause));
  }

  async function drawConsumer() {
    replace(consumer, h('h2', null, 'Consumer'));
    const list = queue.consumers || [];
    if (list.length === 0) {
      const added = h('span', { class: 'status', role: 'status' });
      consumer.append(h('p', null, 'No http_pull consumer: messages can be peeked, not pulled. ',
        h('button', { type: 'button', onclick: async () => {
          try {
            await cf.post(q(queueId) + '/consumers', { type: 'http_pull' });
            load();
          } catch (e) {
            status(added, e.message, 'error');
          }
        } }, 'Add http_pull consumer'), ' ', added));
      return;
    }
    const names = {};
    try {
      for (const other of await cf.get('/queues?per_page=1000')) names[other.queue_name] = other.queue_id;
    } catch (e) {
      // The link to the dead-letter queue is a convenience.
    }
    for (const c of list) {
      const s = c.settings || {};
      const dlq = c.dead_letter_queue;
      consumer.append(h('dl', { class: 'pairs' },
        h('dt', null, 'Type'), h('dd', null, c.type),
        h('dt', null, 'Batch size'), h('dd', null, s.batch_size ?? '—'),
        h('dt', null, 'Max retries'), h('dd', null, s.max_retries ?? '—'),
        h('dt', null, 'Retry delay (s)'), h('dd', null, s.retry_delay ?? '—'),
        h('dt', null, 'Visibility timeout (ms)'), h('dd', null, s.visibility_timeout_ms ?? '—'),
        h('dt', null, 'Dead-letter queue'), h('dd', null, !dlq ? 'none'
          : names[dlq] ? link(dlq, 'queue', names[dlq]) : dlq)));
    }
  }

  function drawPurge() {
    const confirmName = h('input', { type: 'text', autocomplete: 'off', id: 'purge-confirm' });
    const button = h('button', { type: 'submit', class: 'danger', id: 'purge', disabled: true }, 'Purge');
    const done = h('span', { class: 'status', role: 'status', id: 'purge-status' });
    confirmName.addEventListener('input', () => { button.disabled = confirmName.value !== queue.queue_name; });
    replace(purge, h('h2', null, 'Purge'),
      h('p', null, 'Deletes every message of this queue, permanently. Type the queue name ',
        h('code', null, queue.queue_name), ' to confirm.'),
      h('form', { onsubmit: async event => {
        event.preventDefault();
        if (confirmName.value !== queue.queue_name) return;
        try {
          await cf.post(q(queueId) + '/purge', { delete_messages_permanently: true });
          status(done, 'Purged', 'ok');
          confirmName.value = '';
          button.disabled = true;
          refresh();
        } catch (e) {
          status(done, e.message, 'error');
        }
      } }, field('Queue name', confirmName), button, ' ', done));
  }

  async function drawSubscriptions() {
    replace(subscriptions, h('h2', null, 'Event subscriptions into this queue'));
    try {
      const all = await cf.get('/event_subscriptions/subscriptions?per_page=1000');
      const mine = (all || []).filter(s => s.destination && s.destination.queue_id === queueId);
      subscriptions.append(mine.length === 0 ? h('p', { class: 'muted' }, 'None.')
        : h('ul', null, mine.map(s => h('li', null, s.name, ' — ', (s.events || []).join(', '),
          s.enabled ? '' : ' (disabled)'))));
    } catch (e) {
      subscriptions.append(h('p', { class: 'muted' }, e.message));
    }
  }

  load();
  const timer = setInterval(() => { if (queue) refresh().catch(e => status(note, e.message, 'error')); }, REFRESH_MS);
  return () => clearInterval(timer);
}

// Webhook listeners: state and liveness, delivery attempts, missed messages and redelivery, secret rotation,
// enable/disable. All of the account's, or one queue's (#/queue/{id}/listeners).
import { cf, discue, q } from '../api.js';
import { field, h, replace, secretBox, status, time } from '../dom.js';
import { queueTabs } from './tabs.js';

export function render(page, queueId) {
  const list = h('div', { id: 'listener-list' });
  const note = h('p', { class: 'status', role: 'status' });
  const title = h('h1', null, 'Listeners');
  replace(page, title, queueId ? queueTabs(queueId, 'Listeners') : null, note, list);
  if (queueId) cf.get(q(queueId)).then(queue => { title.textContent = 'Listeners of ' + queue.queue_name; }, () => {});

  async function load() {
    try {
      const answer = await discue.get(queueId ? '/queues/' + encodeURIComponent(queueId) + '/listeners' : '/listeners');
      const listeners = answer.listeners || [];
      replace(list, listeners.length === 0 ? h('p', { class: 'muted' }, 'No listeners.') : listeners.map(card));
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  function card(listener) {
    const path = '/queues/' + encodeURIComponent(listener.queue_id) + '/listeners/' + encodeURIComponent(listener.id);
    const live = listener.liveness || {};
    const counts = listener.messages || {};
    const result = h('div', { 'aria-live': 'polite' });
    const attempts = h('div', { class: 'scroll attempts' });
    const enabled = listener.status !== 'disabled';
    const act = (label, action, name) => h('button', { type: 'button', class: name, onclick: async () => {
      try {
        await action();
      } catch (e) {
        replace(result, h('p', { class: 'error' }, e.message));
      }
    } }, label);
    const el = h('article', { class: 'card listener', 'data-listener-id': listener.id },
      h('h2', null, h('span', { class: 'listener-name' }, listener.name), ' ',
        h('span', { class: 'badge ' + (live.state || '') }, live.state || 'unknown'),
        enabled ? '' : h('span', { class: 'badge inactive' }, 'disabled')),
      h('dl', { class: 'pairs' },
        h('dt', null, 'Notify URL'), h('dd', null, listener.notify_url),
        h('dt', null, 'Liveness URL'), h('dd', null, listener.liveness_url),
        h('dt', null, 'Liveness checks'), h('dd', null, (live.success_count ?? 0) + ' ok, '
          + (live.failure_count ?? 0) + ' failed, last ' + time(live.checked_at)),
        live.last_failure_at ? [h('dt', null, 'Last failure'), h('dd', null, time(live.last_failure_at), ' — ',
          live.last_failure_status || 'no answer', ' ', live.last_failure_msg || '')] : null,
        h('dt', null, 'Acknowledged'), h('dd', null, counts.acknowledged_count ?? 0),
        h('dt', null, 'Missed'), h('dd', { class: 'missed' }, counts.missed_count ?? 0)),
      h('div', { class: 'toolbar' },
        act('Show attempts', () => showAttempts(path, attempts), 'show-attempts'),
        (counts.missed_count || 0) > 0 ? act('Redeliver missed', async () => {
          const answer = await discue.post(path + '/redeliver', {});
          replace(result, h('p', { class: 'ok' }, 'Redelivered ', answer.redelivered ?? 0, ' message(s)'));
        }) : null,
        act('Redeliver since…', () => replace(result, sinceForm(path, result))),
        act('Rotate secret', async () => {
          if (!confirm('Rotate the signing secret? The old one stops working.')) return;
          const answer = await discue.post(path + '/secret/rotate', {});
          replace(result, secretBox('New signing secret', answer.listener.secret));
        }),
        act(enabled ? 'Disable' : 'Enable', async () => {
          await discue.put(path, { status: enabled ? 'disabled' : 'enabled' });
          load();
        })),
      result, attempts);
    return el;
  }

  // Every message the listener missed at or after a time (where the server supports it).
  function sinceForm(path, result) {
    const since = h('input', { type: 'datetime-local', required: true });
    return h('form', { class: 'inline', onsubmit: async event => {
      event.preventDefault();
      try {
        const answer = await discue.post(path + '/redeliver_missed', { since: new Date(since.value).toISOString() });
        replace(result, h('p', { class: 'ok' }, 'Redelivered ', answer.redelivered ?? 0, ' message(s)'));
      } catch (e) {
        replace(result, h('p', { class: 'error' }, e.status === 404 && /route/i.test(e.message)
          ? 'This server cannot redeliver by time; use Redeliver missed.' : e.message));
      }
    } }, field('Missed since', since), h('button', { type: 'submit' }, 'Redeliver'));
  }

  async function showAttempts(path, into) {
    try {
      const answer = await discue.get(path + '/attempts?limit=50');
      const rows = answer.attempts || [];
      replace(into, rows.length === 0 ? h('p', { class: 'muted' }, 'No delivery attempts yet.')
        : h('table', null, h('thead', null, h('tr', null, ['Time', 'Message', '#', 'Outcome', 'Status', 'Latency',
          'Error / response'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows.map(a => h('tr', { class: 'attempt ' + a.outcome },
          h('td', null, time(a.timestamp)), h('td', null, h('code', null, a.message_id)),
          h('td', { class: 'num' }, a.attempt), h('td', null, a.outcome),
          h('td', { class: 'num status-code' }, a.status_code ?? '—'), h('td', { class: 'num' }, a.latency_ms, ' ms'),
          h('td', null, a.error || '', a.error && a.response_excerpt ? ' — ' : '', a.response_excerpt || ''))))));
    } catch (e) {
      replace(into, h('p', { class: 'muted' }, e.status === 404 && /route/i.test(e.message)
        ? 'This server keeps no attempt log.' : e.message));
    }
  }

  load();
}

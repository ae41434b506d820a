// The audit trail (GET /v1/events), newest first, filtered by group, with "load more" along its cursor.
import { discue } from '../api.js';
import { field, h, replace, status, time } from '../dom.js';

export function render(page) {
  const group = h('select', { id: 'audit-group' }, ['all', 'queues', 'listeners', 'messages', 'api_keys']
    .map(g => h('option', { value: g }, g)));
  const body = h('tbody');
  const note = h('p', { class: 'status', role: 'status' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let next = null;
  replace(page, h('h1', null, 'Audit trail'),
    h('form', { class: 'inline', onsubmit: event => { event.preventDefault(); load(true); } },
      field('Events', group), h('button', { type: 'submit' }, 'Show')),
    note,
    h('div', { class: 'scroll' }, h('table', { id: 'audit' },
      h('thead', null, h('tr', null, ['Time', 'Event', 'Resource', 'Details'].map(c => h('th', { scope: 'col' }, c)))),
      body)), more);
  more.addEventListener('click', () => load(false));

  async function load(fresh) {
    try {
      const filter = group.value === 'all' ? '' : '&events=' + encodeURIComponent(group.value);
      const path = fresh ? '/events?limit=50' + filter : next;
      const answer = await discue.get(path);
      if (fresh) body.replaceChildren();
      for (const event of answer.events || []) {
        body.append(h('tr', null, h('td', null, time(event.timestamp)), h('td', null, event.type),
          h('td', null, h('code', null, event.resource_id ?? '')),
          h('td', null, h('code', { class: 'payload' }, JSON.stringify(event.payload || {})))));
      }
      const link = answer._links && answer._links.next;
      next = link && (answer.events || []).length > 0 ? link.href : null;
      more.hidden = !next;
      status(note, '', '');
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  load(true);
}

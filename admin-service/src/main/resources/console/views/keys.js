// API keys: create with scopes (the key shown once), disable/enable, delete.
import { discue } from '../api.js';
import { field, h, replace, secretBox, status } from '../dom.js';

const RESOURCES = ['queues', 'messages', 'listeners', 'api_keys', 'events', 'sonya'];

export function render(page) {
  const list = h('div', { id: 'key-list' });
  const created = h('div', { id: 'key-created' });
  const note = h('p', { class: 'status', role: 'status' });
  const name = h('input', { type: 'text', id: 'key-name', required: true, maxlength: 128 });
  const boxes = RESOURCES.map(resource => ['read', 'write'].map(access => {
    const box = h('input', { type: 'checkbox', value: resource + ':' + access, checked: access === 'read' });
    return h('label', { class: 'check' }, box, ' ', resource + ' ' + access);
  }));
  replace(page, h('h1', null, 'API keys'),
    h('form', { class: 'card', id: 'key-create', onsubmit: create }, h('h2', null, 'New key'), field('Name', name),
      h('fieldset', null, h('legend', null, 'Scopes (every queue)'), h('div', { class: 'checks' }, boxes)),
      h('button', { type: 'submit' }, 'Create key')),
    created, note, h('div', { class: 'scroll' }, list));

  async function create(event) {
    event.preventDefault();
    const byResource = {};
    page.querySelectorAll('#key-create input[type=checkbox]:checked').forEach(box => {
      const [resource, access] = box.value.split(':');
      (byResource[resource] = byResource[resource] || []).push(access);
    });
    const scopes = Object.entries(byResource).map(([resource, access]) => ({ resource, access, targets: ['*'] }));
    try {
      const answer = await discue.post('/api_keys', { name: name.value, scopes });
      replace(created, secretBox('API key ' + answer.api_key.name, answer.api_key.key));
      name.value = '';
      load();
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function load() {
    try {
      const keys = (await discue.get('/api_keys')).api_keys || [];
      replace(list, h('table', null,
        h('thead', null, h('tr', null, ['Name', 'Status', 'Scopes', ''].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', null, keys.map(key => h('tr', { 'data-key-id': key.id },
          h('td', { class: 'key-name' }, key.name),
          h('td', null, key.status),
          h('td', null, (key.ferry_scopes || []).map(s => s.resource + ' ' + (s.access || []).join('/') + ' '
            + (s.targets || []).join(',')).join('; ')),
          h('td', null,
            h('button', { type: 'button', onclick: () => change(key, { status: key.status === 'disabled'
              ? 'enabled' : 'disabled' }) }, key.status === 'disabled' ? 'Enable' : 'Disable'), ' ',
            h('button', { type: 'button', class: 'danger', onclick: () => remove(key) }, 'Delete')))))));
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function change(key, body) {
    try {
      await discue.put('/api_keys/' + encodeURIComponent(key.id), body);
      load();
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  async function remove(key) {
    if (!confirm('Delete the key "' + key.name + '"? Clients using it stop working.')) return;
    try {
      await discue.del('/api_keys/' + encodeURIComponent(key.id));
      load();
    } catch (e) {
      status(note, e.message, 'error');
    }
  }

  load();
}

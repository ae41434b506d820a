// Sign-in and hash routes (#/..., so every page is the one static index.html).
import { accountsOf, session } from './api.js';
import { h, replace } from './dom.js';
import * as overview from './views/overview.js';
import * as queue from './views/queue.js';
import * as messages from './views/messages.js';
import * as tail from './views/tail.js';
import * as listeners from './views/listeners.js';
import * as keys from './views/keys.js';
import * as audit from './views/audit.js';

const routes = [
  [/^#?\/?$/, overview],
  [/^#\/queue\/([^/]+)$/, queue],
  [/^#\/queue\/([^/]+)\/messages$/, messages],
  [/^#\/queue\/([^/]+)\/tail$/, tail],
  [/^#\/queue\/([^/]+)\/listeners$/, listeners],
  [/^#\/listeners$/, listeners],
  [/^#\/keys$/, keys],
  [/^#\/audit$/, audit],
];

const view = document.getElementById('view');
const signInForm = document.getElementById('sign-in');
let cleanup = null;

function show() {
  if (cleanup) cleanup();
  cleanup = null;
  const signedIn = Boolean(session.key());
  signInForm.hidden = signedIn;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('sign-out').hidden = !signedIn;
  showAccount(signedIn);
  if (!signedIn) {
    view.replaceChildren();
    document.getElementById('sign-in-key').focus();
    return;
  }
  for (const [pattern, module] of routes) {
    const match = location.hash.match(pattern);
    if (match) {
      const page = h('div', { class: 'page' });
      replace(view, page);
      cleanup = module.render(page, ...match.slice(1).map(decodeURIComponent)) || null;
      return;
    }
  }
  replace(view, h('p', { class: 'error' }, 'No such page.'));
}

// The account worked in; a key that sees several (a root key) can switch between them.
function showAccount(signedIn) {
  const place = document.getElementById('account');
  if (!signedIn) {
    place.replaceChildren();
    return;
  }
  const accounts = session.accounts();
  if (accounts.length < 2) {
    replace(place, 'Account ', accounts.length ? accounts[0].name || session.account() : session.account());
    return;
  }
  const choice = h('select', { id: 'account-choice', onchange: () => {
    session.switchTo(choice.value);
    location.hash = '#/';
    show();
  } }, accounts.map(a => h('option', { value: a.id, selected: a.id === session.account() }, a.name || a.id)));
  replace(place, h('label', { for: 'account-choice' }, 'Account '), choice);
}

signInForm.addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('sign-in-key');
  const error = document.getElementById('sign-in-error');
  error.textContent = '';
  try {
    const accounts = await accountsOf(input.value.trim());
    if (!accounts || accounts.length === 0) throw new Error('this key sees no account');
    session.signIn(input.value.trim(), accounts);
    input.value = '';
    show();
  } catch (e) {
    error.textContent = 'Sign-in failed: ' + e.message;
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/';
  show();
});

window.addEventListener('ferry:unauthorized', () => {
  session.signOut();
  show();
  document.getElementById('sign-in-error').textContent = 'The key was refused (revoked or expired): sign in again.';
});
window.addEventListener('hashchange', show);
show();

// Building the page from API data: every value goes in as text (a text node or an attribute), never as markup.

/** An element with attributes ("on..." are listeners) and children (nodes, or strings added as text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A link inside the console; parts are encoded, so ids cannot change the route. */
export function link(text, ...parts) {
  return h('a', { href: '#/' + parts.map(encodeURIComponent).join('/') }, text);
}

export function field(label, input) {
  const id = input.id || ('f-' + Math.random().toString(36).slice(2));
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export function status(el, text, kind) {
  el.className = 'status ' + (kind || '');
  el.textContent = text;
}

export function age(timestampMs) {
  if (!timestampMs) return '—';
  const s = Math.max(0, Math.round((Date.now() - timestampMs) / 1000));
  if (s < 120) return s + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

export function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  return isNaN(date) ? String(value) : date.toLocaleString();
}

/** A value shown once (a new key, a rotated secret), with a button that copies it. */
export function secretBox(label, value) {
  const out = h('output', { class: 'secret' }, value);
  const copied = h('span', { class: 'muted', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
      copied.textContent = 'Copied';
    } catch (e) {
      window.getSelection().selectAllChildren(out);
      copied.textContent = 'Selected: press Ctrl+C to copy';
    }
  } }, 'Copy');
  return h('div', { class: 'card once', role: 'status' },
    h('p', null, h('strong', null, label), ' — shown once; it cannot be read again.'), out, ' ', copy, ' ', copied);
}

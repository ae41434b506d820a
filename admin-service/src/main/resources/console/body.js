// Message bodies as the Cloudflare dialect returns them: text as it is, json and bytes base64-encoded.
import { h } from './dom.js';

export function bytesOf(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function hex(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.slice(i, i + 16), b => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(i.toString(16).padStart(6, '0') + '  ' + row);
  }
  return lines.join('\n');
}

/** The body decoded by content type, as an element (text only, whatever the body holds). */
export function decodedBody(message) {
  const type = (message.metadata && message.metadata['CF-Content-Type']) || 'json';
  if (type === 'text') return h('pre', { class: 'body', 'data-type': 'text' }, message.body);
  let bytes;
  try {
    bytes = bytesOf(message.body);
  } catch (e) {
    return h('pre', { class: 'body' }, String(message.body));
  }
  if (type === 'json') {
    const text = new TextDecoder().decode(bytes);
    try {
      return h('pre', { class: 'body', 'data-type': 'json' }, JSON.stringify(JSON.parse(text), null, 2));
    } catch (e) {
      return h('pre', { class: 'body', 'data-type': 'json' }, text);
    }
  }
  const shown = h('pre', { class: 'body', 'data-type': 'bytes' }, hex(bytes));
  let asHex = true;
  const toggle = h('button', { type: 'button', onclick: () => {
    asHex = !asHex;
    shown.textContent = asHex ? hex(bytes) : message.body;
    toggle.textContent = asHex ? 'Show base64' : 'Show hex';
  } }, 'Show base64');
  return h('div', null, h('p', { class: 'muted' }, bytes.length + ' bytes (' + type + ')'), toggle, shown);
}

// Wires tail.js to the page: the token (and Ferry's WebSocket address) come from server.js's /token.
import { followQueue } from './tail.js';

const form = document.querySelector('form');
const list = document.querySelector('#messages');
const status = document.querySelector('#status');
let follower = null;

async function token(queue, id) {
  const response = await fetch(`/token?queue=${encodeURIComponent(queue)}&id=${encodeURIComponent(id)}`);
  if (!response.ok) {
    throw new Error(await response.text());
  }
  return response.json();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  follower?.stop();
  list.replaceChildren();
  const queue = form.queue.value;
  const id = form.id.value;
  const { url } = await token(queue, id);
  follower = followQueue({
    url,
    queue,
    id,
    from: form.from.value || undefined,
    WebSocket,
    token: async () => (await token(queue, id)).token,
    onMessage: (frame) => {
      const item = document.createElement('li');
      item.textContent = `#${frame.sequence} ${JSON.stringify(frame.payload)}`;
      list.prepend(item);
    },
    onStatus: (text) => {
      status.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    },
  });
});

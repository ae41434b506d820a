// Serves the page and mints its listen tokens: FERRY_KEY=fry_... node server.js, then open http://localhost:8000
// (PORT to change it). The browser never sees the API key: it asks this server for a token per connection.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createQueue, ferryWebSocketUrl, listenToken } from './ferry.js';

const port = Number(process.env.PORT ?? 8000);
const files = { '/': ['index.html', 'text/html'], '/tail.js': ['tail.js', 'text/javascript'],
  '/page.js': ['page.js', 'text/javascript'] };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname === '/token') {
      // In your application, check here that the signed-in user may follow this queue and id.
      const queue = url.searchParams.get('queue');
      const id = url.searchParams.get('id');
      await createQueue(queue);
      const body = JSON.stringify({ token: await listenToken(queue, id), url: ferryWebSocketUrl });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const content = await readFile(new URL(file[0], import.meta.url));
    res.writeHead(200, { 'Content-Type': file[1] }).end(content);
  } catch (error) {
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end(error.message);
  }
});
server.listen(port, '127.0.0.1', () => console.log(`open http://localhost:${port}`));

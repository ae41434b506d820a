// The page's logic under Node: node follow.js QUEUE ID [FROM]
// Prints one line per message and one per connection change; FROM is a sequence, 'first' or 'last'.
import WebSocket from 'ws';
import { createQueue, ferryWebSocketUrl, listenToken } from './ferry.js';
import { followQueue } from './tail.js';

const [queue = 'live', id = 'ticker', from] = process.argv.slice(2);
await createQueue(queue);
followQueue({
  url: ferryWebSocketUrl,
  queue,
  id,
  from,
  WebSocket,
  token: () => listenToken(queue, id),
  onMessage: (frame) => console.log(`message ${frame.sequence} ${JSON.stringify(frame.payload)}`),
  onStatus: (status) => console.log(status),
});

// A webhook receiver for a Ferry listener: verifies each delivery's Standard Webhooks signature, answers the
// liveness check and prints what it gets.
//
//   FERRY_KEY=fry_... node receiver.js            registers itself as listener "example-receiver" on queue
//                                                 "invoices-hooks" (made if missing) and uses the new secret
//   WEBHOOK_SECRET=whsec_... node receiver.js      for a listener you registered yourself (see README.md)
//
// Ferry refuses to deliver to loopback and private addresses unless allowed: start it with
// FERRY_WEBHOOKS_ALLOW_LIST=127.0.0.0/8 for this example.
import http from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { registerListener } from './register.js';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 9000);
let webhook = process.env.WEBHOOK_SECRET ? new Webhook(process.env.WEBHOOK_SECRET) : null;

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    // The listener's liveness_url: while it fails, Ferry holds deliveries back instead of spending attempts.
    res.writeHead(webhook ? 200 : 503).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    // Verify the raw bytes as received: re-serialised JSON would not match the signature.
    const raw = Buffer.concat(chunks).toString('utf8');
    try {
      const message = webhook.verify(raw, req.headers);
      console.log(`signature verified: ${req.headers['webhook-id']} attempt ${message.attempt} `
        + `queue ${message.queue_name} data ${JSON.stringify(message.data)}`);
      // Any 2xx acks the message; anything else makes Ferry retry it later.
      res.writeHead(204).end();
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) {
        throw error;
      }
      console.log(`rejected ${req.headers['webhook-id'] ?? '(no id)'}: ${error.message}`);
      res.writeHead(400).end();
    }
  });
});

server.listen(port, host, async () => {
  const self = `http://${host}:${server.address().port}`;
  console.log(`receiver listening on ${self}`);
  if (!webhook) {
    const listener = await registerListener(`${self}/hook`, `${self}/health`);
    console.log(`registered listener ${listener.name} (${listener.id}) on queue ${listener.queueName}`);
    webhook = new Webhook(listener.secret);
  }
  console.log('ready for deliveries');
});

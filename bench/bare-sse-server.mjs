/**
 * The fan-out ceiling: plain node:http holding event streams open on
 * EVENTS_PATH and writing one `results` event to each for every POST. What the
 * app's live results cost beyond this is the app's own. Plain JavaScript, like
 * bare-server.mjs, so its memory compares with the built app's.
 */
import { createServer } from 'node:http';

const port = Number(process.env.HTTP_PORT ?? 8091);
const path = process.env.EVENTS_PATH ?? '/events';
const subscribers = new Set();
let total = 0;

const event = () => `event: results\ndata: {"total":${total}}\n\n`;

const server = createServer((req, res) => {
  if (req.url === path) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
    });
    res.write(event());
    subscribers.add(res);
    req.on('close', () => subscribers.delete(res));
    return;
  }
  if (req.method === 'POST') {
    total++;
    for (const sub of subscribers) sub.write(event());
  }
  res.end('ok');
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  for (const sub of subscribers) sub.destroy();
  server.close(() => process.exit(0));
});

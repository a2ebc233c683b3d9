/**
 * The HTTP ceiling: the least a Node process can do per request on this
 * machine. Run as its own process, like the app, so both get the same share of
 * the two cores. Plain JavaScript so that no TypeScript loader sits in the
 * process: the app runs from its build too.
 */
import { createServer } from 'node:http';

const BODY = 'ok';
const port = Number(process.env.HTTP_PORT ?? 8090);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  res.end(BODY);
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

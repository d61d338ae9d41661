// A minimal Node `http` server answering the seed bodies, run as a child process (forked with
// IPC) so that its work does not share the measured process's event loop. It listens on
// 127.0.0.1 port 0, reports `{ url }`, answers `{ type: 'stats' }` with its request count and
// exits on `{ type: 'close' }` or when its parent goes away.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { bodiesByPath } from './lib/seeds.mjs';

const { values } = parseArgs({ options: { 'delay-ms': { type: 'string', default: '0' } } });
const delayMs = Number(values['delay-ms']);
const bodies = new Map(Object.entries(bodiesByPath()).map(([path, body]) => [path, Buffer.from(body)]));
let requests = 0;

const server = createServer((request, response) => {
  requests++;
  const path = request.url.split('?', 1)[0];
  const body = bodies.get(path);
  const answer = () => {
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'application/json', 'content-length': 2 });
      response.end('{}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  };
  // GET bodies are empty; draining keeps the connection reusable either way.
  request.resume();
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
});
// Keep-alive for as long as a benchmark runs, the same for every client variant.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.maxRequestsPerSocket = 0;

function close() {
  server.close();
  server.closeAllConnections();
  setImmediate(() => process.exit(0));
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.send({ url: `http://127.0.0.1:${port}`, pid: process.pid });
});
process.on('message', (message) => {
  if (message?.type === 'stats') process.send({ requests });
  if (message?.type === 'close') close();
});
process.once('disconnect', close);
process.once('SIGTERM', close);

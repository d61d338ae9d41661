// The loop the CPU profile is taken of (run under `node --cpu-prof`): the subject's (see
// lib/subject.mjs) first raw call, validation on, against a stubbed fetch or over loopback, for a bounded
// number of calls. Prints `{ subject, method, calls, elapsedMs }` as JSON when done.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import createClient from 'openapi-fetch';

import { forkHelper, installCleanup, stopAll } from './lib/processes.mjs';
import { subject } from './lib/providers.mjs';
import { loadSeeds } from './lib/seeds.mjs';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'stub' },
    client: { type: 'string', default: 'aicredits' },
    calls: { type: 'string', default: '20000' },
  },
});
installCleanup();
const seed = loadSeeds()[subject.id];
const calls = Number(values.calls);
let server;
try {
  let baseURL = 'http://127.0.0.1:9';
  let fetch;
  if (values.mode === 'loopback') {
    server = await forkHelper(fileURLToPath(new URL('./seed-server.mjs', import.meta.url)));
    baseURL = server.ready.url;
  } else {
    fetch = async () => new Response(seed.body, { headers: { 'content-type': 'application/json' } });
  }
  let run;
  if (values.client === 'openapi-fetch') {
    const client = createClient({ baseUrl: baseURL, headers: seed.headers, ...(fetch ? { fetch } : {}) });
    run = () => client.GET(seed.path);
  } else {
    const client = subject.create({ apiKey: seed.apiKey, baseURL, ...(fetch ? { fetch } : {}) });
    run = () => client[seed.operationId]();
  }
  const started = performance.now();
  for (let index = 0; index < calls; index++) await run();
  const elapsedMs = Math.round(performance.now() - started);
  console.log(JSON.stringify({ subject: subject.displayName, method: `${seed.operationId}()`, calls, elapsedMs }));
} finally {
  await stopAll();
}

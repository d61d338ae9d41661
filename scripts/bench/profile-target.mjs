// The loop the CPU profile is taken of (run under `node --cpu-prof`): ImaginePro's
// getAccountInfo() with validation on, against a stubbed fetch or over loopback, for a bounded
// number of calls. Prints `{ calls, elapsedMs }` as JSON when done.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createImaginePro } from '@aicredits/imaginepro';
import createClient from 'openapi-fetch';

import { forkHelper, installCleanup, stopAll } from './lib/processes.mjs';
import { loadSeeds } from './lib/seeds.mjs';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'stub' },
    client: { type: 'string', default: 'aicredits' },
    calls: { type: 'string', default: '20000' },
  },
});
installCleanup();
const seed = loadSeeds().imaginepro;
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
    const client = createImaginePro({ apiKey: seed.apiKey, baseURL, ...(fetch ? { fetch } : {}) });
    run = () => client.getAccountInfo();
  }
  const started = performance.now();
  for (let index = 0; index < calls; index++) await run();
  console.log(JSON.stringify({ calls, elapsedMs: Math.round(performance.now() - started) }));
} finally {
  await stopAll();
}

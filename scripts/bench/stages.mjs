// Stage costs: each step an aicredits call takes besides what bare openapi-fetch does, timed on
// its own with the same inputs (the subject's seed, see lib/subject.mjs; a stubbed Response). These are replicas of
// the steps in packages/core/src/transport.ts, node-transport.ts and create-api-client.ts, named
// after them, so that the per-call overhead measured in overhead.mjs can be split into its parts.
// Each stage's fresh inputs are built inside the loop; `net` subtracts the stage that builds them.
// The body-reading stages are the fetch path's (a user's `fetch`, or any runtime but Node); the
// Node transport reads a body as `node:http` hands it over and builds only the `Headers`.
import { benchmarkMain } from './lib/child.mjs';
import { subject } from './lib/providers.mjs';
import { loadSeeds } from './lib/seeds.mjs';
import { median, round } from './lib/stats.mjs';

const seed = loadSeeds()[subject.id];
const url = `http://127.0.0.1:9${seed.path}`;
const jsonHeaders = { headers: { 'content-type': 'application/json' } };
const newRequest = () => new Request(url, { headers: seed.headers });
const newResponse = () => new Response(seed.body, jsonHeaders);
const bytes = new TextEncoder().encode(seed.body);
/** The response's header lines as `node:http` gives them (`rawHeaders`), as the seed server sends them. */
const rawHeaders = [
  'Content-Type',
  'application/json',
  'Content-Length',
  String(bytes.byteLength),
  'Date',
  new Date(0).toUTCString(),
  'Connection',
  'keep-alive',
  'Keep-Alive',
  'timeout=5',
];
const decoder = new TextDecoder();

async function readWithReader(response) {
  const chunks = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function rebuild(response, body) {
  const rebuilt = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(rebuilt, 'url', { value: url });
  return rebuilt;
}

const stages = [
  {
    name: 'new Request(url, { headers })',
    where: 'bare openapi-fetch, once per call (call() hands openapi-fetch a light request instead)',
    run: newRequest,
  },
  {
    name: 'request.clone()',
    where: 'previous transport (bodiless requests are no longer cloned)',
    baseline: 'new Request(url, { headers })',
    run: () => newRequest().clone(),
  },
  {
    name: 'new Request(request.clone(), { signal, redirect })',
    where: 'previous transport',
    baseline: 'new Request(url, { headers })',
    run: () => {
      const request = newRequest();
      return new Request(request.clone(), { signal: request.signal, redirect: 'manual' });
    },
  },
  {
    name: 'new Request(request, { signal, redirect }) (no clone)',
    where: 'previous transport (fetch(url, init) now builds the one Request itself)',
    baseline: 'new Request(url, { headers })',
    run: () => {
      const request = newRequest();
      return new Request(request, { signal: request.signal, redirect: 'manual' });
    },
  },
  {
    name: 'new AbortController().signal',
    where: 'transport: per-attempt timeout controller',
    run: () => new AbortController().signal,
  },
  {
    name: 'AbortSignal.any([user, timeout])',
    where: 'previous transport',
    baseline: 'new AbortController().signal',
    // Two fresh sources; the baseline builds one of them.
    run: () => AbortSignal.any([new AbortController().signal, new AbortController().signal]),
  },
  {
    name: 'one controller + abort listener on the user signal',
    where: 'transport: per attempt, listener only when the caller passes a signal',
    baseline: 'new AbortController().signal',
    run: () => {
      const user = new AbortController().signal;
      const controller = new AbortController();
      const onAbort = () => controller.abort(user.reason);
      user.addEventListener('abort', onAbort, { once: true });
      const { signal } = controller;
      user.removeEventListener('abort', onAbort);
      return signal;
    },
  },
  {
    name: 'setTimeout + clearTimeout',
    where: 'transport: per attempt',
    run: () => clearTimeout(setTimeout(() => {}, 30_000)),
  },
  { name: 'new Response(seed) (the stub fetch)', where: 'both paths', run: newResponse },
  {
    name: 'Headers from node:http raw headers',
    where: 'node-transport: per response (what the rest of the core reads, as on the fetch path)',
    run: () => {
      const headers = new Headers();
      for (let index = 0; index < rawHeaders.length; index += 2)
        headers.append(rawHeaders[index], rawHeaders[index + 1]);
      return headers;
    },
  },
  {
    name: 'read the body with getReader()',
    where: 'transport, fetch path: readBody without a declared size',
    baseline: 'new Response(seed) (the stub fetch)',
    run: () => readWithReader(newResponse()),
  },
  {
    name: 'read the body with arrayBuffer()',
    where: 'transport, fetch path: readBody with a declared size',
    baseline: 'new Response(seed) (the stub fetch)',
    run: async () => new Uint8Array(await newResponse().arrayBuffer()),
  },
  {
    name: 'new TextDecoder().decode(body)',
    where: 'previous transport',
    run: () => new TextDecoder().decode(bytes),
  },
  { name: 'shared TextDecoder decode(body)', where: 'transport: per response', run: () => decoder.decode(bytes) },
  {
    name: 'rebuildResponse (new Response + defineProperty url)',
    where: 'transport: error responses and the raw client only',
    run: () => rebuild(newResponse(), bytes),
  },
  {
    name: 'rebuilt.text() (openapi-fetch parseAs: text)',
    where: 'previous call() path (now `parseAs: stream`, nothing re-read)',
    baseline: 'rebuildResponse (new Response + defineProperty url)',
    run: () => rebuild(newResponse(), bytes).text(),
  },
  {
    name: 'response.json() (bare openapi-fetch)',
    where: 'bare openapi-fetch',
    baseline: 'new Response(seed) (the stub fetch)',
    run: () => newResponse().json(),
  },
  {
    name: 'redactSecrets (split/join) + JSON.parse',
    where: 'create-api-client: call',
    run: () => JSON.parse(seed.body.split(seed.apiKey).join('[REDACTED]')),
  },
];

await benchmarkMain(async ({ smoke, log }) => {
  const rounds = smoke ? 1 : 7;
  const iterations = smoke ? 20 : 3_000;
  const perRound = new Map(stages.map((stage) => [stage.name, []]));
  for (const stage of stages) for (let index = 0; index < (smoke ? 5 : 500); index++) await stage.run();
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    for (const stage of stages) {
      const t0 = performance.now();
      for (let index = 0; index < iterations; index++) await stage.run();
      perRound.get(stage.name).push(((performance.now() - t0) * 1000) / iterations);
    }
  }
  log(`stages: ${stages.length} × ${rounds} rounds × ${iterations}`);
  const us = new Map([...perRound].map(([name, values]) => [name, median(values)]));
  return {
    subject: subject.displayName,
    rounds,
    iterations,
    rows: stages.map((stage) => ({
      stage: stage.name,
      where: stage.where,
      us: round(us.get(stage.name), 3),
      netUs: round(stage.baseline === undefined ? us.get(stage.name) : us.get(stage.name) - us.get(stage.baseline), 3),
      baseline: stage.baseline,
    })),
  };
});

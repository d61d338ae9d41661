// Per-call overhead: the same GET answered with a provider's seed body, made by
//   - raw `fetch` + `JSON.parse` (the floor),
//   - bare openapi-fetch (`createClient` + `GET`),
//   - the aicredits client method, with `validateResponses` on and off (and `getBalance()`),
//   - over loopback, the aicredits client method again with `fetch: globalThis.fetch`,
// once over loopback (a Node `http` server in another process, keep-alive) and once with a stubbed
// in-process `fetch` that returns a fresh `Response`, which leaves only the clients' own work.
// Over loopback, raw fetch and bare openapi-fetch go through undici's global pool (Node's `fetch`);
// the aicredits methods without a `fetch` setting go through the core's default transport on Node
// (`node:http` over a keep-alive agent), and the `fetch: globalThis.fetch` variant through undici
// like the baseline: the two aicredits rows apart show what the transport saves and what the layer
// costs. Variants are interleaved round by round (A B C … A B C …).
import { deepStrictEqual } from 'node:assert';
import { fileURLToPath } from 'node:url';

import createClient from 'openapi-fetch';

import { benchmarkMain } from './lib/child.mjs';
import { forkHelper, stopChild } from './lib/processes.mjs';
import { providers as builtIn } from './lib/providers.mjs';
import { loadSeeds } from './lib/seeds.mjs';
import { round, summarizeLatencies } from './lib/stats.mjs';

const seedsById = loadSeeds();

/**
 * Per provider (from the facade's list, the subject first): its factory, the client method of its
 * spec's first operation (named by the operationId, as every client names its raw calls), and
 * whether `getBalance()` is timed too: only where the spec has that one operation, since the
 * others' balances make more requests or need options.
 */
const providers = Object.fromEntries(
  builtIn.map(({ id, create }) => {
    const { operationId, operations } = seedsById[id];
    return [
      id,
      {
        create,
        method: `${operationId}()`,
        call: (client) => client[operationId](),
        balance: operations.length === 1,
      },
    ];
  }),
);

/** The call decodes to the seed body, or to its `data` for a provider that unwraps an envelope. */
function checkDecoded(result, seed) {
  try {
    deepStrictEqual(result, seed);
  } catch (error) {
    if (typeof seed !== 'object' || seed === null || !('data' in seed)) throw error;
    deepStrictEqual(result, seed.data);
  }
}

/** The variants of one provider, for one transport (`fetchFor(body)` gives the fetch to use). */
function variantsFor(id, seed, { baseURL, stub }) {
  const provider = providers[id];
  const expected = JSON.parse(seed.body);
  const jsonHeaders = { headers: { 'content-type': 'application/json' } };
  const stubFetch = stub ? async () => new Response(seed.body, jsonHeaders) : undefined;
  const fetchImpl = stubFetch ?? ((input, init) => globalThis.fetch(input, init));
  const url = `${baseURL}${seed.path}`;
  const bare = createClient({ baseUrl: baseURL, headers: seed.headers, ...(stub ? { fetch: stubFetch } : {}) });
  const settings = (validateResponses, fetch = stubFetch) => ({
    apiKey: seed.apiKey,
    baseURL,
    validateResponses,
    ...(fetch === undefined ? {} : { fetch }),
  });
  const on = provider.create(settings(true));
  const off = provider.create(settings(false));
  // Over loopback the aicredits rows say how they send: the default on Node, or undici below.
  const via = stub ? '' : ' (default: node:http)';
  const variants = [
    {
      name: 'raw fetch + JSON.parse',
      role: 'floor',
      run: async () => JSON.parse(await (await fetchImpl(url, { headers: seed.headers })).text()),
      check: (result) => deepStrictEqual(result, JSON.parse(seed.body)),
    },
    {
      name: 'openapi-fetch GET',
      role: 'openapi-fetch',
      run: () => bare.GET(seed.path),
      check: (result) => deepStrictEqual(result.data, JSON.parse(seed.body)),
    },
    {
      name: `${id}.${provider.method}, validation on${via}`,
      role: 'aicredits-on',
      run: () => provider.call(on),
      check: (result) => checkDecoded(result, expected),
    },
    {
      name: `${id}.${provider.method}, validation off${via}`,
      role: 'aicredits-off',
      run: () => provider.call(off),
      check: (result) => checkDecoded(result, expected),
    },
  ];
  if (!stub) {
    // The same method through undici, like the baseline: only the layer differs from bare openapi-fetch.
    const viaFetch = provider.create(settings(true, globalThis.fetch));
    variants.push({
      name: `${id}.${provider.method}, validation on (fetch: globalThis.fetch)`,
      role: 'aicredits-fetch',
      run: () => provider.call(viaFetch),
      check: (result) => checkDecoded(result, expected),
    });
  }
  if (provider.balance) {
    variants.push({
      name: `${id}.getBalance(), validation on${via}`,
      role: 'aicredits-balance',
      run: () => on.getBalance(),
      check: (result) => {
        if (result.provider !== id) throw new Error(`unexpected balance ${JSON.stringify(result)}`);
      },
    });
  }
  return variants.map((variant) => ({ ...variant, provider: id, samples: [] }));
}

/**
 * Warm-up, then rounds of `batch` calls per variant in a fixed order, until every variant has
 * `target` samples or `budgetMs` is spent (at least `minRounds` rounds either way).
 */
async function measure(variants, { warmup, batch, target, budgetMs, minRounds }) {
  for (const variant of variants) variant.check(await variant.run());
  for (let index = 0; index < warmup; index++) {
    for (const variant of variants) await variant.run();
  }
  const started = performance.now();
  let rounds = 0;
  while (rounds < minRounds || (variants[0].samples.length < target && performance.now() - started < budgetMs)) {
    rounds++;
    for (const variant of variants) {
      const { samples, run } = variant;
      for (let index = 0; index < batch; index++) {
        const t0 = performance.now();
        await run();
        samples.push(performance.now() - t0);
      }
    }
  }
  return { rounds, elapsedMs: Math.round(performance.now() - started) };
}

function summarize(variants) {
  const rows = variants.map((variant) => ({
    provider: variant.provider,
    variant: variant.name,
    role: variant.role,
    ...summarizeLatencies(variant.samples),
  }));
  for (const row of rows) {
    const floor = rows.find((other) => other.provider === row.provider && other.role === 'floor');
    const bare = rows.find((other) => other.provider === row.provider && other.role === 'openapi-fetch');
    row.p50VsFloor = round(row.p50Us / floor.p50Us, 3);
    row.meanVsFloor = round(row.meanUs / floor.meanUs, 3);
    row.p50VsOpenapiFetch = round(row.p50Us / bare.p50Us, 3);
    row.meanVsOpenapiFetch = round(row.meanUs / bare.meanUs, 3);
  }
  return rows;
}

const seedServerScript = fileURLToPath(new URL('./seed-server.mjs', import.meta.url));

await benchmarkMain(async ({ smoke, log }) => {
  const seeds = seedsById;
  const ids = Object.keys(providers);
  const server = await forkHelper(seedServerScript);
  try {
    const baseURL = server.ready.url;
    const loopback = ids.flatMap((id) => variantsFor(id, seeds[id], { baseURL, stub: false }));
    log(`loopback: ${loopback.length} variants against ${baseURL}`);
    const loopbackRun = await measure(
      loopback,
      smoke
        ? { warmup: 2, batch: 3, target: 3, budgetMs: 1_000, minRounds: 1 }
        : { warmup: 300, batch: 50, target: 4_000, budgetMs: 25_000, minRounds: 10 },
    );
    const stubbed = ids.flatMap((id) => variantsFor(id, seeds[id], { baseURL: 'http://127.0.0.1:9', stub: true }));
    log(`stubbed fetch: ${stubbed.length} variants`);
    const stubRun = await measure(
      stubbed,
      smoke
        ? { warmup: 2, batch: 3, target: 3, budgetMs: 1_000, minRounds: 1 }
        : { warmup: 1_000, batch: 200, target: 25_000, budgetMs: 15_000, minRounds: 10 },
    );
    return {
      seedBytes: Object.fromEntries(ids.map((id) => [id, Buffer.byteLength(seeds[id].body)])),
      loopback: { ...loopbackRun, rows: summarize(loopback) },
      stubbed: { ...stubRun, rows: summarize(stubbed) },
    };
  } finally {
    await stopChild(server.child);
  }
});

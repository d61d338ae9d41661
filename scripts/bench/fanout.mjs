// Fan-out: createAccounts({ accounts: N × the subject (lib/subject.mjs), concurrency 8 }).balances() against a
// server (another process) that answers every request after a fixed delay. Wall time against the
// ideal delay × ceil(N / concurrency), peak memory sampled during the call, and the heap after a
// forced GC following each of several rounds of the largest N (run with --expose-gc).
import { fileURLToPath } from 'node:url';

import { createAccounts } from 'aicredits';

import { benchmarkMain } from './lib/child.mjs';
import { forkHelper, stopChild } from './lib/processes.mjs';
import { subject } from './lib/providers.mjs';
import { loadSeeds } from './lib/seeds.mjs';
import { median, round } from './lib/stats.mjs';

const delayMs = 50;
const concurrency = 8;
const sampleEveryMs = 10;

function collect() {
  // Several passes: the first one leaves objects with finalizers (AbortSignal, Request) for the next.
  for (let pass = 0; pass < 3; pass++) globalThis.gc?.();
}

async function runOnce(baseURL, seed, n) {
  const accounts = Array.from({ length: n }, (_, index) => ({
    provider: subject.id,
    label: `account-${index}`,
    apiKey: seed.apiKey,
    baseURL,
  }));
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > peakRss) peakRss = rss;
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  }, sampleEveryMs);
  const t0 = performance.now();
  let results;
  try {
    results = await createAccounts({ accounts, concurrency }).balances();
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - t0;
  const failed = results.filter((result) => !result.ok);
  if (results.length !== n || failed.length > 0) {
    throw new Error(`fan-out of ${n}: ${failed.length} of ${results.length} failed, e.g. ${failed[0]?.error?.message}`);
  }
  if (results[0].balance.remaining === undefined) throw new Error('fan-out: balance without remaining credits');
  return { wallMs, peakRss, peakHeap };
}

/** The baseline: the same N requests with raw fetch + JSON.parse and a plain pool of `concurrency` workers. */
async function runRaw(baseURL, seed, n) {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      next++;
      const response = await fetch(`${baseURL}${seed.path}`, { headers: seed.headers });
      const body = JSON.parse(await response.text());
      if (body.credits === undefined) throw new Error('raw fan-out: unexpected body');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return performance.now() - t0;
}

await benchmarkMain(async ({ smoke, log }) => {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const seed = loadSeeds()[subject.id];
  const server = await forkHelper(fileURLToPath(new URL('./seed-server.mjs', import.meta.url)), {
    args: ['--delay-ms', String(delayMs)],
  });
  try {
    const baseURL = server.ready.url;
    // Warm-up: JIT and the connection pool, for both the facade and the raw baseline.
    await runOnce(baseURL, seed, concurrency * 2);
    await runRaw(baseURL, seed, concurrency * 2);
    const sizes = smoke ? [1, 10] : [1, 10, 100, 1000];
    const repeats = smoke ? { default: 1, last: 2 } : { default: 2, last: 5 };
    const rows = [];
    const heapAfterRounds = [];
    for (const n of sizes) {
      const isLast = n === sizes[sizes.length - 1];
      const count = isLast ? repeats.last : repeats.default;
      const runs = [];
      collect();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage.rss();
      for (let index = 0; index < count; index++) {
        runs.push(await runOnce(baseURL, seed, n));
        collect();
        if (isLast) heapAfterRounds.push(process.memoryUsage().heapUsed);
      }
      const idealMs = delayMs * Math.ceil(n / concurrency);
      const wallMs = median(runs.map((run) => run.wallMs));
      const rawMs = await runRaw(baseURL, seed, n);
      collect();
      rows.push({
        accounts: n,
        rounds: count,
        idealMs,
        wallMsMedian: round(wallMs, 4),
        wallMsMin: round(Math.min(...runs.map((run) => run.wallMs)), 4),
        vsIdeal: round(wallMs / idealMs, 3),
        rawFetchMs: round(rawMs, 4),
        rawVsIdeal: round(rawMs / idealMs, 3),
        vsRawFetch: round(wallMs / rawMs, 3),
        overheadPerAccountMs: round((wallMs - idealMs) / n, 3),
        rssBeforeBytes: rssBefore,
        peakRssBytes: Math.max(...runs.map((run) => run.peakRss)),
        heapBeforeBytes: heapBefore,
        peakHeapUsedBytes: Math.max(...runs.map((run) => run.peakHeap)),
      });
      log(`fan-out ${n}: ${Math.round(wallMs)} ms (ideal ${idealMs} ms, raw fetch ${Math.round(rawMs)} ms)`);
    }
    const growth = heapAfterRounds[heapAfterRounds.length - 1] - heapAfterRounds[0];
    return {
      subject: subject.id,
      delayMs,
      concurrency,
      sampleEveryMs,
      rows,
      memoryRounds: {
        accounts: sizes[sizes.length - 1],
        heapUsedAfterGcBytes: heapAfterRounds,
        growthBytes: growth,
        growthPerAccountBytes: round(growth / (sizes[sizes.length - 1] * (heapAfterRounds.length - 1)), 3),
      },
    };
  } finally {
    await stopChild(server.child);
  }
});

// The monitor's benchmark (issue 13): 10,000 accounts polled by `createWatcher` against a local
// seed server (its own process), on the real libSQL store in a temporary directory.
//   - RSS while polling (two rounds) and the second round's wall time against the fan-out ideal (accounts / concurrency
//     x one poll's time, measured alone in the same run);
//   - average CPU at a 5-minute interval: one round's CPU time / 300 s;
//   - store bytes per reading;
//   - heap after 24 simulated hours (288 rounds on a manual clock) against the heap after the first
//     simulated hour, with fewer accounts so the run stays short.
// `node scripts/bench/monitor.mjs [--accounts 10000] [--day-accounts 200]` prints a Markdown section
// and writes scripts/bench/monitor.md, which `npm run bench` appends to BENCHMARKS.md.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createManualClock, createStore, createWatcher, parseWatchConfig } from '@aicredits/monitor';

import { forkHelper, installCleanup, stopAll } from './lib/processes.mjs';

const { values } = parseArgs({
  options: { accounts: { type: 'string', default: '10000' }, 'day-accounts': { type: 'string', default: '200' } },
});
const accountCount = Number(values.accounts);
const dayAccounts = Number(values['day-accounts']);
const concurrency = 8;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
installCleanup();

const accountsFor = (count, url) => ({
  accounts: Array.from({ length: count }, (_, index) => ({
    provider: 'imaginepro',
    label: `account-${index}`,
    apiKey: `bench-imaginepro-key-${index}`,
    baseURL: url,
    min: 10,
  })),
  concurrency,
  settings: { maxRetries: 0 },
});

async function storeBytes(directory) {
  let total = 0;
  for (const name of await readdir(directory)) total += (await stat(join(directory, name))).size;
  return total;
}

const { ready: server } = await forkHelper(here('./seed-server.mjs'));
const directory = await mkdtemp(join(os.tmpdir(), 'aicredits-bench-monitor-'));
const results = {};
try {
  const watchFor = (store, count) =>
    parseWatchConfig({ watch: { store, interval: '5m' } }, { file: 'bench', cwd: directory, environment: {}, accountCount: count });

  // Baseline: one poll's time, accounts polled one at a time.
  {
    const watch = watchFor(join(directory, 'baseline.db'), 200);
    const store = await createStore({ url: watch.storeUrl });
    const watcher = createWatcher({ accounts: { ...accountsFor(200, server.url), concurrency: 1 }, watch, store });
    await watcher.runOnce();
    const started = performance.now();
    await watcher.runOnce();
    results.singlePollMs = (performance.now() - started) / 200;
    await watcher.stop();
    await store.close();
  }

  // 10,000 accounts: a warm-up round, then one measured.
  {
    const directoryForStore = join(directory, 'big');
    const watch = watchFor(join(directoryForStore, 'history.db'), accountCount);
    const store = await createStore({ url: watch.storeUrl });
    const watcher = createWatcher({ accounts: accountsFor(accountCount, server.url), watch, store });
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    await watcher.runOnce();
    process.stderr.write(`monitor bench: warm-up round of ${accountCount} accounts done\n`);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await watcher.runOnce();
    results.roundMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    results.peakRssMb = Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20;
    results.roundCpuMs = (cpu.user + cpu.system) / 1000;
    results.cpuPercentAt5m = (results.roundCpuMs / 300_000) * 100;
    results.idealRoundMs = (accountCount / concurrency) * results.singlePollMs;
    const readings = await store.count();
    await watcher.stop();
    await store.close();
    results.readings = readings;
    process.stderr.write(`monitor bench: measured round done (${Math.round(results.roundMs)} ms)\n`);
    results.bytesPerReading = (await storeBytes(directoryForStore)) / readings;
  }

  // 24 simulated hours on a manual clock: heap after hour 1 vs after hour 24.
  {
    const watch = watchFor(join(directory, 'day', 'history.db'), dayAccounts);
    const store = await createStore({ url: watch.storeUrl });
    const clock = createManualClock(Date.now(), Math.random);
    const watcher = createWatcher({ accounts: accountsFor(dayAccounts, server.url), watch, store, clock });
    watcher.start();
    const heap = () => {
      globalThis.gc?.();
      return process.memoryUsage().heapUsed / 2 ** 20;
    };
    await clock.advance(3_600_000, () => watcher.idle());
    results.heapAfterHourMb = heap();
    await clock.advance(23 * 3_600_000, () => watcher.idle());
    results.heapAfterDayMb = heap();
    results.dayReadings = await store.count();
    results.gcExposed = typeof globalThis.gc === 'function';
    await watcher.stop();
    await store.close();
  }
} finally {
  await stopAll();
  await rm(directory, { recursive: true, force: true });
}

const round = (value, digits = 1) => Number(value.toFixed(digits));
const markdown = `## Monitor (\`node --expose-gc scripts/bench/monitor.mjs\`)

${accountCount.toLocaleString('en')} ImaginePro accounts polled by \`createWatcher\` (concurrency ${concurrency}) against the seed server in its own process, readings written to a real libSQL file. Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((value) => value.toFixed(2)).join(', ')}.

| measure | value | target |
| --- | --- | --- |
| peak RSS while polling ${accountCount.toLocaleString('en')} accounts | ${round(results.peakRssMb)} MB | ≤ 150 MB |
| CPU of one round | ${round(results.roundCpuMs, 0)} ms | |
| average CPU at a 5-minute interval (round CPU / 300 s) | ${round(results.cpuPercentAt5m, 2)} % of one core | ≤ 2 % |
| one round's wall time | ${round(results.roundMs, 0)} ms | |
| fan-out ideal (accounts / ${concurrency} × one poll alone, ${round(results.singlePollMs, 2)} ms) | ${round(results.idealRoundMs, 0)} ms | |
| round / ideal | ${round(results.roundMs / results.idealRoundMs, 2)} × | |
| store bytes per reading (file + WAL / ${results.readings.toLocaleString('en')} readings) | ${round(results.bytesPerReading, 0)} B | |
| heap after 1 h → after 24 simulated hours (${dayAccounts} accounts, ${results.dayReadings.toLocaleString('en')} readings${results.gcExposed ? ', after gc()' : ', without --expose-gc'}) | ${round(results.heapAfterHourMb)} MB → ${round(results.heapAfterDayMb)} MB | no growth |
`;
process.stdout.write(markdown);
await writeFile(here('./monitor.md'), markdown);

// The all-providers mock (`aicredits-mock`: four Prism servers in one Node process) against the
// Prism CLI started once per spec (`prism mock specs/<x>.yaml --port 0`, four processes):
// start-up time (spawn until every URL is printed), memory (RSS after start-up, peak RSS after
// load), and requests per second served to a second process for a fixed short time.
// Every process is stopped in `finally`, and the Prism processes are checked gone with pgrep.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { mockProviderIds as providerIds } from '@aicredits/mock';

import { benchmarkMain } from './lib/child.mjs';
import {
  forkHelper,
  procCpuMs,
  procMemory,
  request,
  spawnTracked,
  stopChild,
  waitForOutput,
} from './lib/processes.mjs';
import { loadSeeds, repoRoot } from './lib/seeds.mjs';
import { median, round } from './lib/stats.mjs';

const mockBin = join(repoRoot, 'packages/mock/bin/aicredits-mock.js');
const prismCli = realpathSync(join(repoRoot, 'node_modules/.bin/prism'));
const startTimeoutMs = 60_000;

/** `aicredits-mock`: one process; ready when it has printed `<provider> <url>` for all four. */
async function startMock() {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [mockBin], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  try {
    const urls = await waitForOutput(
      child,
      child.stdout,
      (lines) => {
        const found = Object.fromEntries(
          lines.map((line) => line.split(' ')).filter(([id, url]) => providerIds.includes(id) && url),
        );
        return Object.keys(found).length === providerIds.length ? found : undefined;
      },
      startTimeoutMs,
    );
    return { startupMs: performance.now() - t0, urls, processes: [child], stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The Prism CLI once per spec, all four started at once, each in its own process group. */
async function startPrism() {
  const t0 = performance.now();
  const processes = providerIds.map((id) =>
    spawnTracked(
      process.execPath,
      [prismCli, 'mock', join('specs', `${id}.yaml`), '--port', '0', '--host', '127.0.0.1'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    ),
  );
  const stop = () => Promise.all(processes.map((child) => stopChild(child, { group: true })));
  try {
    for (const child of processes) child.stderr.resume();
    const listening = await Promise.all(
      processes.map((child) =>
        waitForOutput(
          child,
          child.stdout,
          (lines) => {
            for (const line of lines) {
              const match = /Prism is listening on (http:\/\/\S+)/.exec(line);
              if (match) return match[1];
            }
            return undefined;
          },
          startTimeoutMs,
        ),
      ),
    );
    const urls = Object.fromEntries(providerIds.map((id, index) => [id, listening[index]]));
    return { startupMs: performance.now() - t0, urls, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function memoryOf(processes) {
  const all = processes.map((child) => procMemory(child.pid));
  return {
    rssBytes: all.reduce((total, memory) => total + (memory.rssBytes ?? 0), 0),
    peakRssBytes: all.reduce((total, memory) => total + (memory.peakRssBytes ?? 0), 0),
  };
}

function targetsFor(urls, seeds) {
  return providerIds.map((id) => ({ url: `${urls[id]}${seeds[id].path}`, headers: seeds[id].headers }));
}

async function load(loader, servers, seeds, options) {
  const cpuBefore = servers.processes.map((child) => procCpuMs(child.pid));
  const answer = await request(
    loader,
    { type: 'run', targets: targetsFor(servers.urls, seeds), ...options },
    options.durationMs + 30_000,
  );
  if (answer.type !== 'result') throw new Error(`load generator: ${answer.message}`);
  const result = answer.result;
  const cpuMs = servers.processes.reduce((total, child, index) => total + (procCpuMs(child.pid) - cpuBefore[index]), 0);
  if (result.ok === 0 || result.ok < result.requests * 0.99) {
    throw new Error(
      `load: only ${result.ok} of ${result.requests} requests succeeded (statuses ${JSON.stringify(result.statuses)}, ${result.errors} errors: ${result.firstError})`,
    );
  }
  return { ...result, serverCpuMs: cpuMs, serverCpuUsPerRequest: round((cpuMs * 1000) / result.ok, 3) };
}

/** PIDs among `pids` that pgrep still finds running the Prism CLI. */
function leftoverPrism(pids) {
  let listed = '';
  try {
    listed = execFileSync('pgrep', ['-f', 'prism-cli/dist/index.js mock'], { encoding: 'utf8' });
  } catch (error) {
    if (error.status !== 1) throw error; // 1: nothing matched
  }
  const running = new Set(listed.split('\n').filter(Boolean).map(Number));
  return pids.filter((pid) => running.has(pid));
}

await benchmarkMain(async ({ smoke, log }) => {
  const seeds = loadSeeds();
  // Load in slices, alternating between the two set-ups while both are up (idle servers cost
  // nothing), so that other work on the machine falls on both alike.
  const loadOptions = smoke
    ? { sliceMs: 300, slices: 1, warmupMs: 200, concurrency: 8, maxRequests: 2_000 }
    : { sliceMs: 1_000, slices: 3, warmupMs: 2_000, concurrency: 16, maxRequests: 100_000 };
  const loader = await forkHelper(fileURLToPath(new URL('./load.mjs', import.meta.url)));
  const prismPids = [];
  const running = {};
  const stopRunning = () => Promise.all(Object.values(running).map((servers) => servers.stop()));
  try {
    // Start-ups, interleaved; the last of each kind stays up for the load.
    const plan = smoke ? ['mock', 'prism'] : ['mock', 'prism', 'mock', 'prism', 'mock', 'prism'];
    const startups = { mock: [], prism: [] };
    for (let index = 0; index < plan.length; index++) {
      const kind = plan[index];
      const servers = kind === 'mock' ? await startMock() : await startPrism();
      running[kind] = servers;
      if (kind === 'prism') prismPids.push(...servers.processes.map((child) => child.pid));
      const memory = memoryOf(servers.processes);
      startups[kind].push({ startupMs: servers.startupMs, rssBytes: memory.rssBytes });
      log(`${kind}: up in ${Math.round(servers.startupMs)} ms, RSS ${Math.round(memory.rssBytes / 1048576)} MiB`);
      if (plan.lastIndexOf(kind) !== index) {
        await servers.stop();
        delete running[kind];
      }
    }

    const { sliceMs, slices, warmupMs, concurrency, maxRequests } = loadOptions;
    const slice = (kind, durationMs) =>
      load(loader.child, running[kind], seeds, { durationMs, concurrency, maxRequests });
    for (const kind of ['mock', 'prism']) await slice(kind, warmupMs);
    const measured = { mock: [], prism: [] };
    for (let index = 0; index < slices; index++) {
      for (const kind of ['mock', 'prism']) measured[kind].push(await slice(kind, sliceMs));
    }
    const loaded = {};
    for (const kind of ['mock', 'prism']) {
      const results = measured[kind];
      const ok = results.reduce((total, result) => total + result.ok, 0);
      const elapsedMs = results.reduce((total, result) => total + result.elapsedMs, 0);
      const cpuMs = results.reduce((total, result) => total + result.serverCpuMs, 0);
      loaded[kind] = {
        requests: results.reduce((total, result) => total + result.requests, 0),
        ok,
        errors: results.reduce((total, result) => total + result.errors, 0),
        requestsPerSecond: round((ok / elapsedMs) * 1000, 4),
        requestsPerSecondPerSlice: results.map((result) => result.requestsPerSecond),
        p50Ms: round(median(results.map((result) => result.p50Ms)), 3),
        p99Ms: round(median(results.map((result) => result.p99Ms)), 3),
        serverCpuUsPerRequest: round((cpuMs * 1000) / ok, 3),
        peakRssBytes: memoryOf(running[kind].processes).peakRssBytes,
      };
      log(
        `${kind}: ${loaded[kind].requestsPerSecond} requests/s (slices ${loaded[kind].requestsPerSecondPerSlice.join(', ')})`,
      );
    }
    await stopRunning();
    const leftover = leftoverPrism(prismPids);
    if (leftover.length > 0) throw new Error(`Prism processes still running after stop: ${leftover.join(', ')}`);
    const summary = (kind, processes) => ({
      processes,
      starts: startups[kind].length,
      startupMsMedian: round(median(startups[kind].map((start) => start.startupMs)), 4),
      rssAfterStartBytes: Math.round(median(startups[kind].map((start) => start.rssBytes))),
      ...loaded[kind],
    });
    const mock = summary('mock', 1);
    const prism = summary('prism', 4);
    return {
      load: loadOptions,
      mock,
      prism,
      ratios: {
        startup: round(mock.startupMsMedian / prism.startupMsMedian, 3),
        rss: round(mock.rssAfterStartBytes / prism.rssAfterStartBytes, 3),
        requestsPerSecond: round(mock.requestsPerSecond / prism.requestsPerSecond, 3),
      },
      prismPidsChecked: prismPids.length,
      prismLeftover: leftover,
    };
  } finally {
    await stopRunning();
    await stopChild(loader.child);
  }
});

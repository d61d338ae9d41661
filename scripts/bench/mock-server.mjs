// The all-providers mock (`aicredits-mock`: four Prism servers in one Node process) against the
// Prism CLI started once per spec (`prism mock specs/<x>.yaml --port 0`, four processes):
// start-up time (spawn until every URL is printed), memory (RSS after start-up, peak RSS after
// load), and requests per second served to a second process for a fixed short time.
// Every process is stopped in `finally`, and the Prism processes are checked gone with pgrep.
//
// Another build of the mock can be measured in the same run, interleaved with this one, so that
// a change of the mock is judged by a same-run ratio rather than against numbers from another
// day or machine (README.md, "The mock against an older build"):
//   AICREDITS_BENCH_MOCK_BASELINE_BIN=<checkout>/packages/mock/bin/aicredits-mock.js
// AICREDITS_BENCH_MOCK_BIN points the main set-up at another bin than this repository's.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

const mockBin = binFromEnvironment('AICREDITS_BENCH_MOCK_BIN') ?? join(repoRoot, 'packages/mock/bin/aicredits-mock.js');
const baselineBin = binFromEnvironment('AICREDITS_BENCH_MOCK_BASELINE_BIN');
const prismCli = realpathSync(join(repoRoot, 'node_modules/.bin/prism'));
const startTimeoutMs = 60_000;

function binFromEnvironment(name) {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const bin = resolve(value);
  if (!existsSync(bin)) throw new Error(`${name}: ${bin} does not exist`);
  if (!existsSync(join(dirname(bin), '../dist/index.js'))) {
    throw new Error(`${name}: ${bin} has no ../dist/index.js; build that checkout first (npm run build)`);
  }
  return bin;
}

/** The commit a bin was built from (and whether its checkout has changes), for the report. */
function commitOf(bin) {
  const git = (...args) => execFileSync('git', ['-C', dirname(bin), ...args], { encoding: 'utf8' }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? commit : `${commit} (with local changes)`;
  } catch {
    return undefined;
  }
}

/**
 * `aicredits-mock`: one process; ready when it has printed `<provider> <url>` for all four.
 * Started with no options, so an older build (whose bin knows fewer) runs the same command.
 */
async function startMock(bin) {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, [bin], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const startupMs = performance.now() - t0;
    return { startupMs, startupCpuMs: procCpuMs(child.pid), urls, processes: [child], stop: () => stopChild(child) };
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
    const startupMs = performance.now() - t0;
    const startupCpuMs = processes.reduce((total, child) => total + procCpuMs(child.pid), 0);
    return { startupMs, startupCpuMs, urls, processes, stop };
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

/** The ratio of two numbers, or undefined when either is missing. */
const ratioOf = (numerator, denominator) =>
  numerator === undefined || denominator === undefined || denominator === 0
    ? undefined
    : round(numerator / denominator, 3);

await benchmarkMain(async ({ smoke, log }) => {
  const seeds = loadSeeds();
  const setups = {
    mock: { start: () => startMock(mockBin), processes: 1 },
    ...(baselineBin === undefined ? {} : { baseline: { start: () => startMock(baselineBin), processes: 1 } }),
    prism: { start: startPrism, processes: 4 },
  };
  const kinds = Object.keys(setups);
  // Load in slices, alternating between the set-ups while all are up (idle servers cost
  // nothing), so that other work on the machine falls on each alike. With a baseline, the mock and
  // the baseline take `pairs` slices each, back to back, which the report judges by the median of
  // the pairs' ratios and its spread; the Prism CLI takes `slices` between them.
  const loadOptions = smoke
    ? { sliceMs: 300, slices: 1, pairs: 2, warmupMs: 200, concurrency: 8, maxRequests: 2_000 }
    : { sliceMs: 1_000, slices: 3, pairs: 12, warmupMs: 2_000, concurrency: 16, maxRequests: 100_000 };
  const loader = await forkHelper(fileURLToPath(new URL('./load.mjs', import.meta.url)));
  const prismPids = [];
  const running = {};
  const stopRunning = () => Promise.all(Object.values(running).map((servers) => servers.stop()));
  try {
    // Start-ups, interleaved; the last of each kind stays up for the load.
    const rounds = smoke ? 1 : 3;
    const plan = Array.from({ length: rounds }, () => kinds).flat();
    const startups = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let index = 0; index < plan.length; index++) {
      const kind = plan[index];
      const servers = await setups[kind].start();
      running[kind] = servers;
      if (kind === 'prism') prismPids.push(...servers.processes.map((child) => child.pid));
      const memory = memoryOf(servers.processes);
      startups[kind].push({
        startupMs: servers.startupMs,
        startupCpuMs: servers.startupCpuMs,
        rssBytes: memory.rssBytes,
      });
      log(
        `${kind}: up in ${Math.round(servers.startupMs)} ms (${servers.startupCpuMs} ms CPU), RSS ${Math.round(memory.rssBytes / 1048576)} MiB`,
      );
      if (plan.lastIndexOf(kind) !== index) {
        await servers.stop();
        delete running[kind];
      }
    }

    const { sliceMs, slices, pairs, warmupMs, concurrency, maxRequests } = loadOptions;
    const slice = (kind, durationMs) =>
      load(loader.child, running[kind], seeds, { durationMs, concurrency, maxRequests });
    for (const kind of kinds) await slice(kind, warmupMs);
    const compared = baselineBin === undefined ? ['mock', 'prism'] : ['mock', 'baseline'];
    const sliceRounds = baselineBin === undefined ? slices : pairs;
    const measured = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let index = 0; index < sliceRounds; index++) {
      // Which of a pair goes first alternates: load rising or falling during the run then favours
      // each side in half of the pairs, instead of always the one measured second.
      for (const kind of index % 2 === 0 ? compared : [...compared].reverse()) {
        measured[kind].push(await slice(kind, sliceMs));
      }
      // Prism's slices, when it is not in the pairs, spread evenly over the rounds.
      if (!compared.includes('prism') && (index * slices) % sliceRounds < slices) {
        measured.prism.push(await slice('prism', sliceMs));
      }
    }
    const loaded = {};
    for (const kind of kinds) {
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
        serverCpuUsPerRequestPerSlice: results.map((result) => result.serverCpuUsPerRequest),
        p50Ms: round(median(results.map((result) => result.p50Ms)), 3),
        p99Ms: round(median(results.map((result) => result.p99Ms)), 3),
        serverCpuUsPerRequest: round((cpuMs * 1000) / ok, 3),
        peakRssBytes: memoryOf(running[kind].processes).peakRssBytes,
      };
      log(
        `${kind}: ${loaded[kind].requestsPerSecond} requests/s (slices ${loaded[kind].requestsPerSecondPerSlice.join(', ')}), ${loaded[kind].serverCpuUsPerRequest} µs CPU/request`,
      );
    }
    await stopRunning();
    const leftover = leftoverPrism(prismPids);
    if (leftover.length > 0) throw new Error(`Prism processes still running after stop: ${leftover.join(', ')}`);
    const summary = (kind) => ({
      processes: setups[kind].processes,
      starts: startups[kind].length,
      startupMsMedian: round(median(startups[kind].map((start) => start.startupMs)), 4),
      startupMsPerStart: startups[kind].map((start) => round(start.startupMs, 4)),
      // CPU time (user + system) until ready: the part of start-up that other work on the machine
      // does not stretch, so the steadier figure on a busy machine.
      startupCpuMsMedian: median(startups[kind].map((start) => start.startupCpuMs)),
      startupCpuMsPerStart: startups[kind].map((start) => start.startupCpuMs),
      rssAfterStartBytesPerStart: startups[kind].map((start) => start.rssBytes),
      rssAfterStartBytes: Math.round(median(startups[kind].map((start) => start.rssBytes))),
      ...loaded[kind],
    });
    const mock = { bin: mockBin, commit: commitOf(mockBin), ...summary('mock') };
    const prism = summary('prism');
    const baseline =
      baselineBin === undefined
        ? undefined
        : { bin: baselineBin, commit: commitOf(baselineBin), ...summary('baseline') };
    const ratios = (other) => ({
      startup: ratioOf(mock.startupMsMedian, other.startupMsMedian),
      startupCpu: ratioOf(mock.startupCpuMsMedian, other.startupCpuMsMedian),
      rss: ratioOf(mock.rssAfterStartBytes, other.rssAfterStartBytes),
      requestsPerSecond: ratioOf(mock.requestsPerSecond, other.requestsPerSecond),
      serverCpuPerRequest: ratioOf(mock.serverCpuUsPerRequest, other.serverCpuUsPerRequest),
    });
    // Slices of the two run back to back, so each pair shares the machine's load of the moment.
    const perPair = (key) => mock[key].map((value, index) => ratioOf(value, baseline[key][index]));
    if (baseline !== undefined) {
      log(`mock ÷ baseline, requests/s per slice pair: ${perPair('requestsPerSecondPerSlice').join(', ')}`);
    }
    return {
      load: loadOptions,
      mock,
      ...(baseline === undefined ? {} : { baseline }),
      prism,
      ratios: ratios(prism),
      ...(baseline === undefined
        ? {}
        : {
            baselineRatios: {
              ...ratios(baseline),
              requestsPerSecondPerSlice: perPair('requestsPerSecondPerSlice'),
              serverCpuPerRequestPerSlice: perPair('serverCpuUsPerRequestPerSlice'),
              baselineVsPrism: {
                startup: ratioOf(baseline.startupMsMedian, prism.startupMsMedian),
                rss: ratioOf(baseline.rssAfterStartBytes, prism.rssAfterStartBytes),
                requestsPerSecond: ratioOf(baseline.requestsPerSecond, prism.requestsPerSecond),
              },
            },
          }),
      prismPidsChecked: prismPids.length,
      prismLeftover: leftover,
    };
  } finally {
    await stopRunning();
    await stopChild(loader.child);
  }
});

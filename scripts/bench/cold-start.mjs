// Cold start: from spawning a process to its printed output, for
//   - `node packages/aicredits/bin/aicredits.js balances --json --config <file>` (one account per
//     provider, against a fast local server that is already running),
//   - `node -e` doing the same requests with raw fetch and printing the JSON (the baseline),
//   - `node -e 0` (Node's own start-up, the floor),
// interleaved run by run; plus the import time of each package (`node -e "import('…')"`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchmarkMain } from './lib/child.mjs';
import { forkHelper, spawnTracked, stopChild } from './lib/processes.mjs';
import { providers } from './lib/providers.mjs';
import { loadSeeds, repoRoot } from './lib/seeds.mjs';
import { median, round } from './lib/stats.mjs';

const importedPackages = [
  'openapi-fetch',
  '@aicredits/core',
  ...providers.map((provider) => provider.packageName),
  'aicredits',
  'aicredits/cli',
  '@aicredits/mock',
];

/** The environment variable holding each provider's bench key, e.g. `BENCH_IQQZ_KEY`. */
const keyVariable = (id) => `BENCH_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_KEY`;

/** Spawns `node args…` and times the first stdout byte and the exit; fails on an unexpected exit code. */
function timeProcess(args, { env = process.env, timeoutMs = 30_000, okCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawnTracked(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOutputMs;
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ').slice(0, 80)} took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      firstOutputMs ??= performance.now() - t0;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const exitMs = performance.now() - t0;
      if (!okCodes.includes(code)) {
        reject(new Error(`node ${args.join(' ').slice(0, 80)} exited ${signal ?? code}: ${stderr.slice(0, 400)}`));
      } else resolve({ firstOutputMs: firstOutputMs ?? exitMs, exitMs, stdout });
    });
  });
}

/** Every operation of every spec with the provider's auth: the CLI asks for the ones its balances need. */
const rawRequests = (seeds) =>
  Object.values(seeds).flatMap(({ operations, headers }) => operations.map(({ path }) => [path, headers]));

function rawScript(baseURL, seeds) {
  const requests = rawRequests(seeds);
  return `const requests = ${JSON.stringify(requests)};
Promise.all(requests.map(async ([path, headers]) => {
  const response = await fetch(${JSON.stringify(baseURL)} + path, { headers });
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return JSON.parse(await response.text());
})).then((bodies) => process.stdout.write(JSON.stringify(bodies, null, 2) + '\\n'));`;
}

await benchmarkMain(async ({ smoke, log }) => {
  const seeds = loadSeeds();
  const server = await forkHelper(fileURLToPath(new URL('./seed-server.mjs', import.meta.url)));
  const directory = await mkdtemp(join(tmpdir(), 'aicredits-bench-'));
  try {
    const baseURL = server.ready.url;
    const configPath = join(directory, 'aicredits.config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        accounts: providers.map(({ id }) => ({ provider: id, apiKeyEnv: keyVariable(id), baseURL })),
      }),
    );
    const keys = Object.fromEntries(providers.map(({ id }) => [keyVariable(id), seeds[id].apiKey]));
    const env = { ...process.env, ...keys, NO_COLOR: '1' };
    delete env.AICREDITS_DEBUG;
    const commands = {
      cli: ['packages/aicredits/bin/aicredits.js', 'balances', '--json', '--config', configPath],
      raw: ['-e', rawScript(baseURL, seeds)],
      node: ['-e', '0'],
    };
    // Once each before timing: checks the output and warms the file cache.
    // The CLI exits 1 when an account needs attention: some seeds' plans expired long ago.
    const cliOptions = { env, okCodes: [0, 1] };
    const checked = JSON.parse((await timeProcess(commands.cli, cliOptions)).stdout);
    if (!checked.results?.every((result) => result.ok)) {
      throw new Error(`the CLI did not get every balance: ${JSON.stringify(checked).slice(0, 400)}`);
    }
    if (JSON.parse((await timeProcess(commands.raw, { env })).stdout).length !== rawRequests(seeds).length)
      throw new Error('raw baseline failed');
    const runs = smoke ? 1 : 10;
    const times = { cli: [], raw: [], node: [] };
    for (let index = 0; index < runs; index++) {
      for (const [name, args] of Object.entries(commands)) {
        times[name].push(await timeProcess(args, name === 'cli' ? cliOptions : { env }));
      }
    }
    const summary = (name) => ({
      runs: times[name].length,
      firstOutputMsMedian: round(median(times[name].map((run) => run.firstOutputMs)), 4),
      exitMsMedian: round(median(times[name].map((run) => run.exitMs)), 4),
    });
    const process_ = { cli: summary('cli'), raw: summary('raw'), node: summary('node') };
    process_.cli.vsRaw = round(process_.cli.firstOutputMsMedian / process_.raw.firstOutputMsMedian, 3);
    process_.cli.overRawMs = round(process_.cli.firstOutputMsMedian - process_.raw.firstOutputMsMedian, 3);
    process_.raw.overNodeMs = round(process_.raw.firstOutputMsMedian - process_.node.firstOutputMsMedian, 3);
    log(
      `cold start: CLI ${process_.cli.firstOutputMsMedian} ms, raw ${process_.raw.firstOutputMsMedian} ms, node ${process_.node.firstOutputMsMedian} ms`,
    );

    // Node's own start-up is timed again inside this loop, so that each import is compared with
    // a floor taken under the same conditions.
    const importRuns = smoke ? 1 : 7;
    const floor = [];
    const importTimes = new Map(importedPackages.map((name) => [name, { wall: [], inProcess: [] }]));
    for (let index = 0; index < importRuns; index++) {
      floor.push((await timeProcess(commands.node)).exitMs);
      for (const name of importedPackages) {
        const script = `const t = performance.now(); import(${JSON.stringify(name)}).then(() => process.stdout.write(String(performance.now() - t)));`;
        const run = await timeProcess(['-e', script]);
        importTimes.get(name).wall.push(run.exitMs);
        importTimes.get(name).inProcess.push(Number(run.stdout));
      }
    }
    const floorMs = median(floor);
    const imports = importedPackages.map((name) => {
      const { wall, inProcess } = importTimes.get(name);
      return {
        package: name,
        runs: wall.length,
        importMsMedian: round(median(inProcess), 3),
        processMsMedian: round(median(wall), 4),
        overNodeMs: round(median(wall) - floorMs, 3),
      };
    });
    log(`imports: ${imports.map((row) => `${row.package} ${row.importMsMedian} ms`).join(', ')}`);
    return {
      accounts: providers.length,
      requests: rawRequests(seeds).length,
      process: process_,
      importFloorMs: round(floorMs, 4),
      imports,
    };
  } finally {
    await stopChild(server.child);
    await rm(directory, { recursive: true, force: true });
  }
});

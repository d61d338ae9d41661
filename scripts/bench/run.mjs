#!/usr/bin/env node
// Runs every benchmark, each in its own child process, and writes BENCHMARKS.md and
// scripts/bench/results.json. `npm run bench` builds the packages first; this script uses their
// `dist` as users would.
//
//   node scripts/bench/run.mjs            full run, writes the files
//   node scripts/bench/run.mjs --smoke    a few iterations of each, writes nothing, exit 1 if one throws
//   node scripts/bench/run.mjs --only overhead,fanout    a subset; prints the results as JSON, writes nothing
//   node scripts/bench/run.mjs --render   BENCHMARKS.md again from results.json and monitor.md (after
//                                          `npm run bench:monitor`, or a change to the report's text)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { analyzeProfile } from './lib/cpu-profile.mjs';
import { firstMessage, forkTracked, installCleanup, spawnTracked, stopAll, stopChild } from './lib/processes.mjs';
import { evaluateTargets, renderMarkdown } from './lib/report.mjs';
import { repoRoot } from './lib/seeds.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    render: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;

const benchmarks = [
  { name: 'overhead', script: 'overhead.mjs', timeoutMs: 150_000 },
  { name: 'stages', script: 'stages.mjs', timeoutMs: 60_000 },
  { name: 'profile', run: runProfile, timeoutMs: 60_000 },
  { name: 'fanout', script: 'fanout.mjs', execArgv: ['--expose-gc'], timeoutMs: 150_000 },
  { name: 'coldStart', script: 'cold-start.mjs', timeoutMs: 120_000 },
  { name: 'mock', script: 'mock-server.mjs', timeoutMs: 150_000 },
  { name: 'bundle', script: 'bundle-size.mjs', timeoutMs: 60_000 },
  { name: 'serve', script: 'serve.mjs', timeoutMs: 900_000 },
];

function checkBuilt() {
  const packagesDirectory = join(repoRoot, 'packages');
  const missing = readdirSync(packagesDirectory)
    .filter((name) => existsSync(join(packagesDirectory, name, 'tsup.config.ts')))
    .map((name) => join('packages', name, 'dist', 'index.js'))
    .concat([join('packages', 'aicredits', 'dist', 'cli', 'main.js')])
    .filter((file) => !existsSync(join(repoRoot, file)));
  if (missing.length > 0) {
    throw new Error(`not built: ${missing.join(', ')}; run 'npm run bench' (it builds first) or 'npm run build'`);
  }
}

/** Runs one benchmark script in a child process and returns what it sent back. */
async function runChild({ name, script, execArgv = [], timeoutMs }) {
  const child = forkTracked(here(script), smoke ? ['--smoke'] : [], {
    cwd: repoRoot,
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const message = await firstMessage(child, timeoutMs);
    if (message?.type !== 'result') throw new Error(message?.message ?? `unexpected message from ${name}`);
    return message.result;
  } finally {
    await stopChild(child);
  }
}

/** `node --cpu-prof` of the stubbed-fetch loop, read into areas and top frames. */
async function runProfile({ timeoutMs }) {
  const directory = await mkdtemp(join(os.tmpdir(), 'aicredits-bench-profile-'));
  const calls = smoke ? 200 : 20_000;
  try {
    const child = spawnTracked(
      process.execPath,
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        directory,
        here('profile-target.mjs'),
        '--mode',
        'stub',
        '--calls',
        String(calls),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stopChild(child);
        reject(new Error(`profile run took over ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) throw new Error(`profile run exited ${code}`);
    const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('no .cpuprofile written');
    return { ...JSON.parse(output), ...analyzeProfile(join(directory, file)) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? execFileSync('cat', ['/proc/cpuinfo'], { encoding: 'utf8' }) : '';
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  let nproc;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = os.availableParallelism();
  }
  return {
    date: new Date().toISOString(),
    nproc,
    cores: os.cpus().length,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    loadAverageStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** The repository's Prettier style for the generated files, when Prettier is installed. */
async function formatted(text, parser) {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(join(repoRoot, 'BENCHMARKS.md'))) ?? {};
    return await prettier.format(text, { ...options, parser });
  } catch {
    return text;
  }
}

/** BENCHMARKS.md: this run's report, then the monitor's section from its own, longer run (`npm run bench:monitor`). */
async function writeReport(results, evaluated) {
  const monitorSection = existsSync(here('monitor.md')) ? `\n${await readFile(here('monitor.md'), 'utf8')}` : '';
  await writeFile(
    join(repoRoot, 'BENCHMARKS.md'),
    await formatted(renderMarkdown(results, evaluated) + monitorSection, 'markdown'),
  );
}

let interrupted = false;

async function main() {
  if (values.render) {
    // The measurements stay those of the run that wrote results.json; only the text is made again.
    const results = JSON.parse(await readFile(here('results.json'), 'utf8'));
    results.targets = evaluateTargets(results);
    await writeReport(results, results.targets);
    process.stderr.write(`rendered BENCHMARKS.md from the run at ${results.meta.commit}\n`);
    return 0;
  }
  installCleanup();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
    });
  }
  checkBuilt();
  const only = values.only?.split(',').map((name) => name.trim());
  const selected = benchmarks.filter((benchmark) => only === undefined || only.includes(benchmark.name));
  if (selected.length === 0) throw new Error(`--only: expected some of ${benchmarks.map((b) => b.name).join(', ')}`);
  const meta = machine();
  const started = performance.now();
  const results = { meta };
  const failures = [];
  for (const benchmark of selected) {
    if (interrupted) break;
    const t0 = performance.now();
    process.stderr.write(`${benchmark.name}${smoke ? ' (smoke)' : ''}...\n`);
    try {
      results[benchmark.name] = benchmark.run ? await benchmark.run(benchmark) : await runChild(benchmark);
      process.stderr.write(`${benchmark.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failures.push({ name: benchmark.name, message: error instanceof Error ? error.message : String(error) });
      process.stderr.write(`${benchmark.name}: FAILED: ${failures.at(-1).message}\n`);
    }
  }
  meta.durationSeconds = Math.round((performance.now() - started) / 1000);
  meta.loadAverageEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
  results.failures = failures;
  const evaluated = evaluateTargets(results);
  results.targets = evaluated;

  if (interrupted) {
    process.stderr.write('interrupted: nothing written\n');
    return 1;
  }
  if (smoke || only !== undefined) {
    if (only !== undefined && !smoke) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    process.stderr.write(
      `${smoke ? 'smoke' : 'subset'}: ${selected.length - failures.length} of ${selected.length} benchmarks ran in ${meta.durationSeconds} s; nothing written\n`,
    );
  } else {
    for (const target of evaluated) {
      const verdict = target.verdict ?? (target.met ? 'met' : 'not met');
      process.stderr.write(
        `${(target.met ? verdict : verdict.toUpperCase()).padEnd(12)}  ${target.target}: ${target.measured}\n`,
      );
    }
    await writeFile(here('results.json'), await formatted(`${JSON.stringify(results, null, 2)}\n`, 'json'));
    await writeReport(results, evaluated);
    process.stderr.write(`wrote BENCHMARKS.md and scripts/bench/results.json in ${meta.durationSeconds} s\n`);
  }
  return failures.length === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopAll();
}
process.exit(exitCode);

#!/usr/bin/env node
// `npm test`: every check of the repository, each run to the end even when an earlier one fails, so
// that one red package never hides how the others did. Exits non-zero when anything failed.
//
// The generated-files check goes first and alone: it regenerates packages/*/src/generated, which
// the builds read. Everything else is one turbo run: lint, format and spec lint are root tasks
// (turbo.json) beside the packages' builds, tests and the one typecheck, so that these single-threaded
// checks fill a core instead of leaving the other one idle while they run one after another.
//
// Turbo runs at most one task per core (os.availableParallelism(), not a fixed number): the tests
// start servers, Prism and child processes of their own, and ten tasks at once on a 2-core machine
// starve each other until guards against hangs start to fire.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const concurrency = Math.max(1, availableParallelism());
const environment = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const steps = [
  ['generated files', npm, ['run', '--silent', 'check:generated']],
  [
    'lint, format, spec lint and packages (build, test, typecheck)',
    npx,
    [
      'turbo',
      'run',
      'lint',
      'format:check',
      'lint:specs',
      'test',
      'typecheck',
      '--continue=dependencies-successful',
      `--concurrency=${concurrency}`,
      ...process.argv.slice(2),
    ],
  ],
];

// Each package's vitest run writes what failed there (scripts/test-failure-record.ts); they are
// printed after the summary, because CI keeps only the end of this command's output.
const failureRecords = fileURLToPath(new URL('../node_modules/.cache/aicredits-test-failures/', import.meta.url));
rmSync(failureRecords, { recursive: true, force: true });

const outcomes = [];
for (const [name, command, args] of steps) {
  process.stdout.write(`\n== ${name}: ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: environment });
  outcomes.push({ name, ok: result.status === 0, detail: result.error?.message ?? `exit code ${result.status}` });
}

process.stdout.write('\n== summary\n');
for (const { name, ok, detail } of outcomes) {
  process.stdout.write(`${ok ? 'ok    ' : 'FAILED'} ${name}${ok ? '' : ` (${detail})`}\n`);
}
const records = existsSync(failureRecords) ? readdirSync(failureRecords).sort() : [];
if (records.length > 0) {
  process.stdout.write("\n== what failed (each package's full log is above)\n");
  for (const record of records) process.stdout.write(readFileSync(path.join(failureRecords, record), 'utf8'));
}
process.exitCode = outcomes.every((outcome) => outcome.ok) ? 0 : 1;

// `turbo` with its anonymous telemetry off, for every npm script that runs it (turbo sends usage data
// unless told not to, and not only in CI). Arguments pass through; the exit code comes back.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo');
const result = spawnSync(process.execPath, [turbo, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (result.error) throw result.error;
// A turbo killed by a signal (Ctrl-C) ends this process the same way.
if (result.signal) process.kill(process.pid, result.signal);
process.exitCode = result.status ?? 1;

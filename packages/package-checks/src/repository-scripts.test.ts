// The npm scripts a user runs in a clone: turbo never phones home (not only in CI), and
// `npm run -s demo -- --json | jq .` gets nothing but the JSON document on stdout.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { childEnvironment, describeRun, readJson, repositoryRoot, run } from './workspace.js';

const scripts = readJson<{ scripts: Record<string, string> }>(path.join(repositoryRoot, 'package.json')).scripts;

/** The environment a user's shell would give, without the opt-out that .ci/run exports. */
function userEnvironment(): NodeJS.ProcessEnv {
  const environment = childEnvironment();
  delete environment['TURBO_TELEMETRY_DISABLED'];
  delete environment['DO_NOT_TRACK'];
  return environment;
}

describe('repository scripts', () => {
  it('run turbo only through scripts/turbo.mjs, which turns its telemetry off', async () => {
    const usingTurbo = Object.entries(scripts).filter(([, command]) => /\bturbo\b/.test(command));
    expect(usingTurbo.map(([name]) => name)).toEqual(expect.arrayContaining(['build', 'demo', 'bench', 'release']));
    // `npm test` runs turbo from scripts/test.mjs, which sets the same variable.
    expect(scripts['test']).toBe('node scripts/test.mjs');
    expect(readFileSync(path.join(repositoryRoot, 'scripts/test.mjs'), 'utf8')).toContain(
      "TURBO_TELEMETRY_DISABLED: '1'",
    );
    for (const [name, command] of usingTurbo) {
      const bare = command.split(/&&|\|\||;/).filter((part) => /(^|\s)(npx\s+)?turbo\s/.test(part.trim()));
      expect(bare, `script "${name}" runs turbo directly: ${command}`).toEqual([]);
    }
    const status = await run(process.execPath, ['scripts/turbo.mjs', 'telemetry', 'status'], {
      cwd: repositoryRoot,
      env: userEnvironment(),
      timeout: 60_000,
    });
    expect(status.code, describeRun('node scripts/turbo.mjs telemetry status', status)).toBe(0);
    expect(status.stdout).toContain('Status: Disabled');
  });

  it('and no README, script or message tells a user to run turbo bare', async () => {
    // turbo run through npx skips scripts/turbo.mjs, so its telemetry would be on; `npm run build` is the same build.
    const bare = [
      ['npx', 'turbo'],
      ['`turbo', 'run'],
    ].map((words) => words.join(' '));
    const found = await run(
      'git',
      ['grep', '-n', '-F', ...bare.flatMap((text) => ['-e', text]), '--', '.', ':!package-lock.json'],
      {
        cwd: repositoryRoot,
        timeout: 30_000,
      },
    );
    // git grep exits 1 when nothing matches.
    expect(found.code, found.stdout).toBe(1);
  });

  it('demo --json: only the document on stdout, the trailer on stderr, exit 1 as the README says', async () => {
    // npm prints its own "> demo" banner on stdout unless -s; turbo's build output goes to stderr.
    expect(scripts['demo']).toMatch(/^node scripts\/turbo\.mjs run build [^&]*1>&2 && node scripts\/demo\.mjs$/);
    const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
    expect(readme).toContain('npm run -s demo -- --json | jq .');
    expect(readme).toMatch(/exits `1`/);
    // The build step is what `npm test` has already done; the demo itself is run here.
    const demo = await run(process.execPath, ['scripts/demo.mjs', '--json'], {
      cwd: repositoryRoot,
      env: userEnvironment(),
      timeout: 120_000,
    });
    expect(demo.code, describeRun('node scripts/demo.mjs --json', demo)).toBe(1);
    const document = JSON.parse(demo.stdout) as { ok: boolean; results: unknown[] };
    expect(document.ok).toBe(false);
    expect(document.results.length).toBeGreaterThan(8);
    expect(demo.stderr).toContain("That was 'aicredits balances' against mock servers");
  }, 180_000);
});

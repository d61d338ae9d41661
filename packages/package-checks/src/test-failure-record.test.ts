// `npm test` ends with what failed (scripts/test-failure-record.ts), because CI keeps only the end
// of its log. Real vitest runs of a small project in a temporary directory, with the reporter that
// every package's config uses.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { childEnvironment, describeRun, repositoryRoot, run } from './workspace.js';

const project = mkdtempSync(path.join(tmpdir(), 'aicredits-failure-record-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const reporter = path.join(repositoryRoot, 'scripts/test-failure-record.ts');
writeFileSync(
  path.join(project, 'vitest.config.mjs'),
  [
    `import { FailureRecord } from ${JSON.stringify(reporter)};`,
    `export default { test: { globals: true, include: ['*.test.js'], reporters: ['default', new FailureRecord()] } };`,
  ].join('\n'),
);

/** Runs vitest in the project with only `files` as its tests; returns the run and the records written. */
async function runProject(name: string, files: Record<string, string>) {
  for (const file of readdirSync(project).filter((entry) => entry.endsWith('.test.js')))
    rmSync(path.join(project, file));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(project, file), text);
  const records = path.join(project, `records-${name}`);
  const result = await run(
    process.execPath,
    [path.join(repositoryRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--root', project],
    { cwd: project, env: childEnvironment({ AICREDITS_TEST_FAILURES: records }), timeout: 120_000 },
  );
  let written: Record<string, string> = {};
  try {
    written = Object.fromEntries(
      readdirSync(records).map((file) => [file, readFileSync(path.join(records, file), 'utf8')]),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { result, written };
}

describe('the failure record npm test prints at its end', () => {
  it('names each failed test, a file that failed to load and an unhandled error, with their messages and own frames', async () => {
    const { result, written } = await runProject('red', {
      'a.test.js': [
        `describe('a watcher', () => {`,
        `  it('passes', () => expect(1).toBe(1));`,
        `  it('reads the store', () => expect({ remaining: 3 }).toEqual({ remaining: 4 }));`,
        `});`,
        `it('hands a promise to nobody', async () => {`,
        `  Promise.reject(new Error('rejected after the test'));`,
        `  await new Promise((resolve) => setTimeout(resolve, 50));`,
        `});`,
      ].join('\n'),
      'b.test.js': `import './missing-module.js';\nit('never runs', () => {});`,
    });
    expect(result.code, describeRun('vitest run', result)).toBe(1);
    const folder = path.basename(project);
    expect(Object.keys(written)).toEqual([`${folder}.txt`]);
    const record = written[`${folder}.txt`]!;
    expect(record.split('\n')[0]).toBe(folder);
    expect(record).toContain('a.test.js > a watcher > reads the store');
    expect(record).toMatch(/AssertionError: expected \{ remaining: 3 \} to deeply equal \{ remaining: 4 \}/);
    expect(record).toMatch(/at .*a\.test\.js:3/);
    expect(record).toContain('b.test.js: the file failed');
    expect(record).toContain('missing-module.js');
    expect(record).toContain('an unhandled error');
    expect(record).toContain('rejected after the test');
    expect(record).not.toContain('a watcher > passes');
    // Vitest's and node's own frames are left to the full log.
    expect(record).not.toMatch(/node_modules|node:internal/);
  });

  it('writes nothing when everything passed', async () => {
    const { result, written } = await runProject('green', { 'c.test.js': `it('passes', () => expect(2).toBe(2));` });
    expect(result.code, describeRun('vitest run', result)).toBe(0);
    expect(written).toEqual({});
  });
});

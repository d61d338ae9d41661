// READMEs kept in step with the code, part 1: every `packages/*/examples/readme-example.mjs` runs
// (each starts its own mock servers from @aicredits/mock) against the built workspace packages, and
// its stdout contains, line for line, every README block marked
// `<!-- output of examples/readme-example.mjs -->`.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { exampleOutputMarker, readFencedBlocks } from './readme.js';
import { childEnvironment, describeRun, killRunningChildren, run, workspacePackages } from './workspace.js';

const examples = workspacePackages()
  .map((entry) => ({
    folder: entry.folder,
    directory: entry.directory,
    script: path.join(entry.directory, 'examples/readme-example.mjs'),
    readme: path.join(entry.directory, 'README.md'),
  }))
  .filter((entry) => existsSync(entry.script));

afterAll(() => {
  killRunningChildren();
});

/** Index of the first line of `block` in `lines` as a contiguous run, or -1. */
function indexOfRun(lines: readonly string[], block: readonly string[]): number {
  for (let start = 0; start + block.length <= lines.length; start++) {
    if (block.every((line, offset) => lines[start + offset] === line)) return start;
  }
  return -1;
}

describe('README examples', () => {
  it('exist for the four clients and the facade', () => {
    expect(examples.map((entry) => entry.folder).sort()).toEqual(
      ['aicredits', 'crowdcomputed', 'imaginepro', 'iqqz', 'pixverse'].sort(),
    );
  });

  it('are the only source of marked output blocks', () => {
    // A marked block in a README without an example would never be checked.
    for (const entry of workspacePackages()) {
      const readme = path.join(entry.directory, 'README.md');
      if (!existsSync(readme) || existsSync(path.join(entry.directory, 'examples/readme-example.mjs'))) continue;
      const marked = readFencedBlocks(readme).filter((block) => block.marker === exampleOutputMarker);
      expect(marked, `${entry.folder}/README.md`).toEqual([]);
    }
  });

  // One after another: each example starts Prism in a Node process of its own.
  describe.each(examples)('$folder', ({ folder, directory, script, readme }) => {
    it('runs, exits 0 and prints every marked README output block', async ({ expect }) => {
      const result = await run(process.execPath, [script], {
        cwd: directory,
        env: childEnvironment(),
        timeout: 180_000,
      });
      expect(result.code, describeRun(`node packages/${folder}/examples/readme-example.mjs`, result)).toBe(0);

      const marked = readFencedBlocks(readme).filter((block) => block.marker === exampleOutputMarker);
      expect(marked.length, `blocks marked ${exampleOutputMarker} in packages/${folder}/README.md`).toBeGreaterThan(0);
      const stdout = result.stdout.replace(/\r\n/g, '\n').split('\n');
      for (const block of marked) {
        const lines = block.lines.filter((line) => line.trim() !== '');
        expect(lines.length).toBeGreaterThan(0);
        expect(
          indexOfRun(stdout, lines),
          `packages/${folder}/README.md:${block.line}: these lines are not in the example's output, in this order:\n` +
            `${lines.join('\n')}\n--- actual stdout ---\n${result.stdout}`,
        ).toBeGreaterThanOrEqual(0);
      }
    }, 240_000);
  });
});

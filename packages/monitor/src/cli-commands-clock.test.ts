/**
 * `watch --once` and `history` on the clock of the command context: readings are stamped with its
 * time, and the history's window and forecast are read from it, so a demo or a test can take hours
 * of readings in moments (the demos do).
 */
import { writeFile } from 'node:fs/promises';

import { main } from 'aicredits/cli';
import { afterEach, describe, expect, it } from 'vitest';

import { createManualClock } from './manual-clock.js';
import { scriptedApiKey, startScriptedImaginePro } from './testing/scripted-provider.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const directories = useTemporaryDirectory();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const hour = 3_600_000;

describe('CliContext.clock', () => {
  it('stamps watch --once readings with its time, and history forecasts from it', async () => {
    const provider = await startScriptedImaginePro();
    cleanups.push(() => provider.close());
    const directory = await directories.create();
    const configPath = directory.join('aicredits.config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        accounts: [{ provider: 'imaginepro', label: 'main', apiKeyEnv: 'KEY', baseURL: provider.server.url }],
        maxRetries: 0,
        watch: { store: 'history.db' },
      }),
    );
    // Years from now: the system clock would put these readings outside history's default 7 days.
    const clock = createManualClock(Date.parse('2040-03-01T00:00:00Z'));
    const run = async (argv: string[]) => {
      let stdout = '';
      const code = await main({
        argv: [...argv, '--config', configPath],
        environment: { KEY: scriptedApiKey },
        cwd: directory.path,
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        clock,
      });
      return { code, stdout };
    };
    for (const credits of [900, 880, 860]) {
      provider.state.credits = credits;
      expect((await run(['watch', '--once'])).code).toBe(0);
      await clock.advance(hour, async () => {});
    }
    const history = await run(['history']);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('2040-03-01T00:00:00Z  imaginepro/main  900');
    expect(history.stdout).toContain('2040-03-01T02:00:00Z  imaginepro/main  860');
    // 20 credits an hour.
    expect(history.stdout).toMatch(/imaginepro\/main: runs out ~Mar 2 .*\(480\/day\)/);
  });
});

// `npm run demo:watch` and `npm run demo:serve` as a user runs them (the build step is what
// `npm test` has already done): the mocks' credits run down on the demos' simulated clock, so the
// readings fall, a burn rate and a forecast appear, and the watch demo's local receiver gets a
// low-credit notification. Nothing here waits on wall time: the history is taken on a simulated
// clock, and serve is read once its URL is printed.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { childEnvironment, describeRun, repositoryRoot, run } from './workspace.js';

const script = (name: string) => path.join(repositoryRoot, 'scripts', name);

describe('demo:watch', () => {
  it('shows readings going down hour by hour, a low-credit notification with its forecast, and burn rates', async () => {
    const demo = await run(process.execPath, [script('demo-watch.mjs')], {
      cwd: repositoryRoot,
      env: childEnvironment(),
      timeout: 170_000,
    });
    expect(demo.code, describeRun('node scripts/demo-watch.mjs', demo)).toBe(0);
    const readings = (label: string) =>
      [...demo.stdout.matchAll(new RegExp(`^\\S+Z  ${label}  ([\\d.]+) `, 'gm'))].map((match) => Number(match[1]));
    // Seven hourly rounds; then the history repeats the last three.
    expect(readings('iqqz/gpt-images')).toEqual([
      11.2655, 9.7655, 8.2655, 6.7655, 5.2655, 3.7655, 2.2655, 5.2655, 3.7655, 2.2655,
    ]);
    expect(readings('crowdcomputed/studio').slice(0, 7)).toEqual([37170, 36170, 35170, 34170, 33170, 32170, 31170]);
    // The iqqz token crosses its minimum of 5 in the sixth round: one notification, with the forecast.
    const notifications = demo.stdout.split('-> the local Slack receiver got POST').slice(1);
    const low = notifications.filter((text) => text.includes('iqqz/gpt-images is low'));
    expect(low).toHaveLength(1);
    expect(low[0]).toMatch(/3\.7655 USD left, below the minimum of 5; runs out ~\w{3} \d+.* \(36\/day\)/);
    expect(demo.stdout.indexOf('iqqz/gpt-images is low')).toBeGreaterThan(demo.stdout.indexOf('3.7655 / 12.5 USD'));
    // 1.5 USD an hour is 36 a day; 1000 points an hour 24000.
    expect(demo.stdout).toMatch(/^iqqz\/gpt-images: runs out ~.*\(36\/day\)$/m);
    expect(demo.stdout).toMatch(/^crowdcomputed\/studio: runs out ~.*\(24000\/day\)$/m);
  }, 180_000);
});

describe('demo:serve', () => {
  it('opens on an hour of falling readings with burn rates and forecasts, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [script('demo-serve.mjs'), '--port', '0'], {
      cwd: repositoryRoot,
      env: childEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // Readiness: serve prints its URL once it listens.
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const match = /^Dashboard: (\S+)$/m.exec(stdout);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) =>
          reject(new Error(`demo-serve exited (${code}) before serving:\n${stdout}\n${stderr}`)),
        );
      });
      expect(stdout).toContain('Took 12 readings of each account over the last hour');

      const history = (await (await fetch(`${url}api/history?account=gpt-images`)).json()) as {
        readings: Array<{ remaining: number }>;
      };
      const remaining = history.readings.map((reading) => reading.remaining);
      // Twelve readings 5 minutes apart, 0.1 USD less each (and serve's own first poll, if it
      // has landed, at most one step on).
      expect(remaining.slice(0, 12).map((value) => Number(value.toFixed(4)))).toEqual(
        Array.from({ length: 12 }, (_, index) => Number((11.2655 - 0.1 * index).toFixed(4))),
      );

      const { results } = (await (await fetch(`${url}api/balances`)).json()) as {
        results: Array<{ account: string; forecast: { burnPerDay: number; text: string } | null }>;
      };
      const forecast = results.find((result) => result.account === 'gpt-images')?.forecast;
      // 0.1 USD per 5 minutes is 28.8 a day (a little less once serve's own reading lands).
      expect(forecast?.burnPerDay).toBeGreaterThan(25);
      expect(forecast?.burnPerDay).toBeLessThanOrEqual(28.8 + 1e-9);
      expect(forecast?.text).toMatch(/^runs out ~/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
  }, 180_000);
});

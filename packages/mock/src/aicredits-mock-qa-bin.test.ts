// The QA options of the bin, through a real process. Serial, and one started bin shared by the
// cases that need servers, so the suite never runs several Node+Prism processes at once. Each case
// sets up the part of that bin's state it reads (a sequence's position, the journal) and leaves the
// rest as it found it, so that it passes alone (-t) or in any order (--sequence.shuffle); the
// SIGTERM case starts one of its own.
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminPrefix } from './provider-server.js';
import { type BinProcess, startBin } from './test-support/bin-process.js';

const credential = 'sk-bin-SECRET-987654321';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

async function exitOf(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = startBin(args);
  try {
    const [code] = await bin.exit;
    return { code, stdout: bin.stdout(), stderr: bin.stderr() };
  } finally {
    await bin.kill();
  }
}

const qaOptions = [
  '--json',
  '--verbose',
  '--scenario',
  'crowdcomputed=failed',
  '--scenario',
  'pixverse=rate-limited,default',
  '--delay',
  'imaginepro=1',
  '--drain',
  'iqqz=0.5',
  '--journal-size',
  '3',
];

describe('aicredits-mock bin, QA options', () => {
  describe('one running bin', () => {
    let bin: BinProcess;
    let urls: Record<string, string>;

    beforeAll(async () => {
      bin = startBin(qaOptions);
      const [json = '{}'] = await bin.lines(1);
      urls = JSON.parse(json) as Record<string, string>;
      // Readiness: the printed URLs mean listening; health says each answers.
      for (const url of Object.values(urls)) {
        const health = (await (await fetch(`${url}${adminPrefix}/health`)).json()) as { status?: unknown };
        if (health.status !== 'ok') throw new Error(`${url} is not healthy: ${JSON.stringify(health)}`);
      }
    });

    afterAll(async () => {
      await bin?.kill();
    });

    const admin = (provider: string, path: string, init?: RequestInit) =>
      fetch(`${urls[provider]}${adminPrefix}${path}`, init);

    const get = (provider: string, path: string, headers: Record<string, string> = {}) =>
      fetch(`${urls[provider]}${path}`, {
        headers: { authorization: `Bearer ${credential}`, token: credential, ...headers },
      });

    it('starts each provider in its --scenario, sequences included', async () => {
      // Back to the sequence's first step, which other cases' requests move on.
      await (await admin('pixverse', '/reset', { method: 'POST' })).body?.cancel();
      const failed = (await (await get('crowdcomputed', '/api/v1/member/info')).json()) as Record<string, unknown>;
      expect(failed).toMatchObject({ code: 'Failed', data: null });
      const first = await get('pixverse', '/v2/pixverse/features/');
      expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1']);
      await first.body?.cancel();
      expect((await get('pixverse', '/v2/pixverse/features/')).status).toBe(200);
    });

    it('switches scenarios, including faults, through the admin endpoint', async () => {
      const { scenario: started } = (await (await admin('pixverse', '/scenario')).json()) as { scenario: string };
      expect(started).toBe('rate-limited,default');
      const put = await admin('pixverse', '/scenario', { method: 'PUT', body: 'connection-reset' });
      expect(put.status).toBe(200);
      await put.body?.cancel();
      await expect(get('pixverse', '/v2/pixverse/features/')).rejects.toThrow(/fetch failed/);
      await (await admin('pixverse', '/scenario', { method: 'DELETE' })).body?.cancel();
      expect((await get('pixverse', '/v2/pixverse/features/')).status).toBe(200);
      // The --scenario it started with, for the other cases.
      await (await admin('pixverse', '/scenario', { method: 'PUT', body: started })).body?.cancel();
    });

    it('delays a provider by --delay and says so in the journal', async () => {
      await (await get('imaginepro', '/api/v1/subscription/account-info')).body?.cancel();
      const { requests } = (await (await admin('imaginepro', '/journal')).json()) as {
        requests: Array<{ answer: { delayMs?: number } }>;
      };
      expect(requests.at(-1)?.answer.delayMs).toBe(1);
    });

    it('drains by --drain on every balance request, and the reset endpoint refills', async () => {
      const usage = async () =>
        ((await (await get('iqqz', '/v1/dashboard/billing/usage')).json()) as { total_usage: number }).total_usage;
      // Half a unit each: 50 cents of usage, within the token's limit (usage stops there).
      await (await admin('iqqz', '/reset', { method: 'POST' })).body?.cancel();
      const first = await usage();
      expect(await usage()).toBe(first + 50);
      expect(await usage()).toBe(first + 100);
      await (await admin('iqqz', '/reset', { method: 'POST' })).body?.cancel();
      expect(await usage()).toBe(first);
    });

    it('keeps --journal-size requests, credentials redacted', async () => {
      await (await admin('iqqz', '/journal', { method: 'DELETE' })).body?.cancel();
      for (let request = 0; request < 4; request++) {
        await (await get('iqqz', '/v1/dashboard/billing/subscription')).body?.cancel();
      }
      const text = await (await admin('iqqz', '/journal')).text();
      expect(text).not.toContain(credential);
      const { requests } = JSON.parse(text) as { requests: Array<{ headers: Record<string, string> }> };
      expect(requests).toHaveLength(3);
      expect(requests[0]?.headers).toMatchObject({ authorization: 'Bearer [redacted]', token: '[redacted]' });
    });

    it('renders example dates current by default: the seed plan renews ahead, not in 2025', async () => {
      // The default scenario's answer, wherever pixverse's --scenario sequence is.
      const features = (await (
        await get('pixverse', '/v2/pixverse/features/', { prefer: 'scenario=default' })
      ).json()) as Record<string, string>;
      expect(Date.parse(features['billing_renewal_date'] ?? '')).toBeGreaterThan(Date.now());
      const expired = (await (
        await get('imaginepro', '/api/v1/subscription/account-info', { prefer: 'example=expired' })
      ).json()) as Record<string, string>;
      expect(Date.parse(expired['expiredAt'] ?? '')).toBeLessThan(Date.now());
    });

    it('logs requests on stderr with --verbose, never the credential', async () => {
      await (await get('crowdcomputed', '/api/v1/member/info')).body?.cancel();
      await bin.stderrMatching(/authorization: Bearer \[redacted\]/);
      expect(bin.stderr()).not.toContain(credential);
    });
  });

  // A bin of its own: the shared one must keep running whatever order the cases run in.
  it('exits 0 on SIGTERM with every QA option in use', async () => {
    const bin = startBin(qaOptions);
    try {
      await bin.lines(1);
      expect(await bin.stop()).toEqual([0, null]);
    } finally {
      await bin.kill();
    }
  });

  it('prints its version with --version and the help with -h, exit code 0', async () => {
    expect(await exitOf(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await exitOf(['-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: aicredits-mock/);
    expect(help.stdout).toContain(`GET ${adminPrefix}/journal`);
  });

  it.each([
    [['--drain', 'iqqz'], /--drain needs <provider>=<value>/],
    [['--drain', 'iqqz=lots'], /expected <amount> or <amount>\/<interval>/],
    [['--delay', 'soon'], /--delay soon: expected milliseconds/],
    [['--scenario', 'midjourney=free'], /unknown provider "midjourney"/],
    [['--provider', 'iqqz', '--scenario', 'pixverse=free'], /pixverse is not among the started providers/],
    [['--dates', 'yesterday'], /--dates must be current or as-written/],
  ])('rejects %j with exit code 2 before starting anything', async (args, message) => {
    const result = await exitOf(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('rejects an unknown scenario name with exit code 2, listing the known ones', async () => {
    const result = await exitOf(['--provider', 'pixverse', '--scenario', 'pixverse=bankrupt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown scenario "bankrupt" for pixverse; known: default, .*low-credits/);
  });
});

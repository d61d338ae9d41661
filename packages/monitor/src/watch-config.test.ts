import { describe, expect, it } from 'vitest';

import { parseDuration } from './duration.js';
import { resolveStoreUrl } from './store-location.js';
import { parseWatchConfig } from './watch-config.js';

const options = {
  file: 'aicredits.config.json',
  cwd: '/work/project',
  environment: { HOME: '/home/ada' },
  accountCount: 2,
};

describe('parseWatchConfig', () => {
  it('defaults: 5 minutes, a tenth of it as jitter, 90 days, 24 h repeat, the XDG state file', () => {
    const watch = parseWatchConfig(undefined, options);
    expect(watch).toMatchObject({ intervalMs: 300_000, jitterMs: 30_000, retentionMs: 90 * 86_400_000, notify: [] });
    expect(watch.alerts).toMatchObject({ repeatMs: 86_400_000, failures: 3, expiringDays: 7 });
    expect(watch.storeUrl).toBe('file:///home/ada/.local/state/aicredits/history.db');
    expect(watch.accounts).toHaveLength(2);
  });

  it('per-account interval and alert overrides inherit the rest', () => {
    const watch = parseWatchConfig(
      {
        watch: { interval: '10m', alerts: { belowPercent: 20, repeat: '12h' } },
        accounts: [{ watch: { interval: '1h', alerts: { failures: 1 } } }, {}],
      },
      options,
    );
    expect(watch.accounts[0]).toMatchObject({
      intervalMs: 3_600_000,
      alerts: { belowPercent: 20, repeatMs: 43_200_000, failures: 1 },
    });
    expect(watch.accounts[1]).toMatchObject({ intervalMs: 600_000, alerts: { failures: 3 } });
  });

  it('rejects unknown fields, bad durations and out-of-range numbers with the path', () => {
    expect(() => parseWatchConfig({ watch: { intervall: '5m' } }, options)).toThrow(/watch\.intervall: unknown field/);
    expect(() => parseWatchConfig({ watch: { interval: '500ms' } }, options)).toThrow(
      /watch\.interval: expected a duration/,
    );
    expect(() => parseWatchConfig({ watch: { alerts: { belowPercent: 150 } } }, options)).toThrow(
      /belowPercent: expected a number from 0 to 100/,
    );
    expect(() => parseWatchConfig({ watch: { jitter: '10m', interval: '5m' } }, options)).toThrow(
      /shorter than watch.interval/,
    );
    expect(() => parseWatchConfig({ accounts: [{ watch: 'often' }] }, options)).toThrow(
      /accounts\[0\]\.watch: expected an object/,
    );
  });

  it('notifiers take URLs and secrets from named environment variables only, and never echo them', () => {
    const environment = {
      ...options.environment,
      HOOK: 'https://hooks.example.com/x',
      SECRET: 's3cret',
      SMTP: 'smtp://u:p@mail.example.com:587',
    };
    const watch = parseWatchConfig(
      {
        watch: {
          notify: [
            { type: 'webhook', urlEnv: 'HOOK', secretEnv: 'SECRET' },
            { type: 'email', smtpUrlEnv: 'SMTP', from: 'a@example.com', to: 'b@example.com' },
          ],
        },
      },
      { ...options, environment },
    );
    expect(watch.notify).toEqual([
      { type: 'webhook', name: 'webhook', url: 'https://hooks.example.com/x', secret: 's3cret' },
      {
        type: 'email',
        name: 'email',
        smtpUrl: 'smtp://u:p@mail.example.com:587',
        from: 'a@example.com',
        to: ['b@example.com'],
      },
    ]);
    const bad = { ...environment, HOOK: 'ftp://token-123@example.com' };
    expect(() =>
      parseWatchConfig({ watch: { notify: [{ type: 'slack', urlEnv: 'HOOK' }] } }, { ...options, environment: bad }),
    ).toThrow(/urlEnv: the environment variable's value is not a https\? URL/);
    try {
      parseWatchConfig({ watch: { notify: [{ type: 'slack', urlEnv: 'HOOK' }] } }, { ...options, environment: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain('token-123');
    }
    expect(() =>
      parseWatchConfig(
        { watch: { notify: [{ type: 'slack' }, { type: 'slack', urlEnv: 'HOOK' }] } },
        { ...options, environment },
      ),
    ).toThrow(/notify\[0\]\.urlEnv: expected the name of an environment variable/);
  });
});

describe('resolveStoreUrl and parseDuration', () => {
  it('a path, a URL, $XDG_STATE_HOME', () => {
    const environment = { XDG_STATE_HOME: '/var/state', HOME: '/home/ada' };
    expect(resolveStoreUrl(undefined, { cwd: '/p', environment })).toBe('file:///var/state/aicredits/history.db');
    expect(resolveStoreUrl('data/h.db', { cwd: '/p', environment })).toBe('file:///p/data/h.db');
    expect(resolveStoreUrl('libsql://db.example.com', { cwd: '/p', environment })).toBe('libsql://db.example.com');
    expect(resolveStoreUrl(undefined, { cwd: '/p', environment: { XDG_STATE_HOME: 'relative', HOME: '/h' } })).toBe(
      'file:///h/.local/state/aicredits/history.db',
    );
  });

  it('durations', () => {
    expect([parseDuration('5m'), parseDuration('1h30m'), parseDuration('7d'), parseDuration('250ms')]).toEqual([
      300_000, 5_400_000, 604_800_000, 250,
    ]);
    expect([parseDuration(''), parseDuration('5'), parseDuration('5 minutes'), parseDuration('-5m')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

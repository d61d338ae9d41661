import { describe, expect, it } from 'vitest';

import { withoutSecrets } from './reading.js';
import { failedReading, reading } from './testing/readings.js';

const key = 'sk-monitor-0123456789abcdef';
const at = new Date('2026-12-01T00:00:00Z');
const part = (name: string) => ({ name, remaining: 1, limit: 2, resetsAt: undefined, expiresAt: undefined });

describe('withoutSecrets', () => {
  it('gives back the same reading when no text holds a secret', () => {
    const clean = reading({ at, parts: [part('monthly'), part('extra')] });
    expect(withoutSecrets(clean, [key, undefined, ''])).toBe(clean);
    expect(withoutSecrets(clean, [])).toBe(clean);
  });

  it('removes an echo of the key from every text, escaped or cut short, and nothing else', () => {
    const escaped = [...key].map((character) => `%${character.charCodeAt(0).toString(16)}`).join('');
    const echoed = reading({
      at,
      account: `team ${key}`,
      plan: `Pro (${escaped})`,
      unit: `\\u0073\\u006b${key.slice(2)} points`,
      parts: [part('monthly'), part(`extra ${key.slice(0, 14)}`)],
    });
    const cleaned = withoutSecrets(echoed, [key]);
    expect(cleaned).toEqual({
      ...echoed,
      account: 'team [REDACTED]',
      plan: 'Pro ([REDACTED])',
      unit: '[REDACTED] points',
      parts: [part('monthly'), part('extra [REDACTED]')],
    });
    const failed = failedReading({ at, errorKind: 'authentication', errorMessage: `HTTP 401: bad key ${key}` });
    expect(withoutSecrets(failed, [key]).errorMessage).toBe('HTTP 401: bad key [REDACTED]');
  });

  it('trusts an earlier clean reading only while every text is the same', () => {
    const earlier = reading({ at, parts: [part('monthly')] });
    const same = reading({ at: new Date(at.getTime() + 300_000), remaining: 90, parts: [part('monthly')] });
    // Would be redacted if searched: the earlier reading vouches for texts it holds, nothing else.
    expect(withoutSecrets(same, ['Professional'], earlier)).toBe(same);
    for (const changed of [
      reading({ at, plan: `Pro ${key}`, parts: [part('monthly')] }),
      reading({ at, parts: [part(`monthly ${key}`)] }),
      reading({ at, parts: [part('monthly'), part(key)] }),
      failedReading({ at, errorKind: 'server', errorMessage: key }),
    ]) {
      expect(JSON.stringify(withoutSecrets(changed, [key], earlier))).not.toContain(key.slice(0, 12));
    }
  });
});

/** Every unit `--timeout` takes; the process tests in cli-conventions.test.ts cover ms, s and bare numbers end to end. */
import { describe, expect, it } from 'vitest';

import { ConfigError } from './config-error.js';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['60000', 60_000],
    [' 2m ', 120_000],
  ])('%s is %d ms', (value, milliseconds) => {
    expect(parseDuration('--timeout', value)).toBe(milliseconds);
  });

  it.each(['', '2 m', '2M', '-1s', '0.5ms', '1e3', '597h', 'm'])('%j is refused', (value) => {
    expect(() => parseDuration('--timeout', value)).toThrow(ConfigError);
  });
});

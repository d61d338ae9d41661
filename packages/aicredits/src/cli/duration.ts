import { ConfigError } from './config-error.js';

const unitMilliseconds = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** Node's timers wrap past 2^31 - 1 ms (about 24.8 days) and fire at once. */
const longestTimer = 2_147_483_647;

/**
 * `--timeout 60s`, `2m`, `500ms`, `1.5s`, `1h`; a bare number is milliseconds, as it always was.
 * The result is a whole number of milliseconds of at least 1.
 */
export function parseDuration(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const milliseconds =
    match === null
      ? Number.NaN
      : Number(match[1]) * unitMilliseconds[(match[2] ?? 'ms') as keyof typeof unitMilliseconds];
  if (!Number.isInteger(milliseconds) || milliseconds < 1 || milliseconds > longestTimer) {
    throw new ConfigError(
      `${name}: expected a duration such as 500ms, 60s or 2m (a bare number is milliseconds), from 1ms to 596h, got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return milliseconds;
}

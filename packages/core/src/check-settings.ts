import { SettingsError } from './settings-error.js';

/** The longest wait `setTimeout` honours; a larger one fires after 1 ms. */
export const maxTimerMs = 2 ** 31 - 1;

/** Refuses a timer setting `setTimeout` would not honour, before any request is sent. */
export function checkTimeout(provider: string, setting: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > maxTimerMs) {
    throw new SettingsError({
      provider,
      setting,
      message: `${setting} must be a number of milliseconds from 1 to ${maxTimerMs}, got ${describe(value)}`,
    });
  }
}

/** Refuses a count that is not a whole number in range. */
export function checkCount(provider: string, setting: string, value: number | undefined, minimum: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new SettingsError({
      provider,
      setting,
      message: `${setting} must be a whole number of at least ${minimum}, got ${describe(value)}`,
    });
  }
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Refuses header names and values that `Headers` would reject with a raw `TypeError` (or that would
 * split the request): CR, LF and NUL. Values are never quoted: a header may hold a credential.
 */
export function checkHeaders(provider: string, setting: string, headers: Record<string, string> | undefined): void {
  if (headers === undefined) return;
  if (typeof headers !== 'object' || headers === null) {
    throw new SettingsError({ provider, setting, message: `${setting} must be an object of header names and values` });
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!tokenPattern.test(name)) {
      throw new SettingsError({
        provider,
        setting,
        message: `${setting}: ${JSON.stringify(name)} is not a valid header name`,
      });
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value) || /[^\t\x20-\xff]/.test(value)) {
      throw new SettingsError({
        provider,
        setting,
        message: `${setting}: the value of ${name} must be text without line breaks, NUL or characters beyond Latin-1`,
      });
    }
  }
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}

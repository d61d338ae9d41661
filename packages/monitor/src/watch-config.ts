import { parseDuration } from './duration.js';
import { resolveStoreUrl } from './store-location.js';

/** When an account needs attention, beyond the account's `min` (which `balances` already applies). */
export interface AlertRules {
  /** Low when `remaining` is below this percentage of `limit`. */
  belowPercent: number | undefined;
  /** Alert when the forecast says the account runs out within this many days. */
  depletionDays: number | undefined;
  /** Alert when the plan or token expires within this many days. Default 7. */
  expiringDays: number | undefined;
  /** Transient failures (timeouts, 5xx, rate limits) in a row before `failing`; auth errors alert at once. Default 3. */
  failures: number;
  /** While a condition lasts, repeat its notification after this long. Default 24 h. */
  repeatMs: number;
}

export type NotifierConfig =
  | { type: 'webhook'; name: string; url: string; secret: string | undefined }
  | { type: 'slack'; name: string; url: string }
  | { type: 'discord'; name: string; url: string }
  | { type: 'email'; name: string; smtpUrl: string; from: string; to: string[] };

export interface AccountWatchSettings {
  intervalMs: number;
  alerts: AlertRules;
}

export interface WatchConfig {
  /** How often each account is checked. Default 5 min. */
  intervalMs: number;
  /** Each poll moves by up to ± this much so accounts do not all poll at once. Default a tenth of the interval. */
  jitterMs: number;
  /** The history database: `resolveStoreUrl`'s result. */
  storeUrl: string;
  storeAuthToken: string | undefined;
  /** Readings older than this are deleted. Default 90 days. */
  retentionMs: number;
  /** How far back the forecast looks. Default 7 days. */
  forecastWindowMs: number;
  alerts: AlertRules;
  notify: NotifierConfig[];
  /** One entry per configured account, in the config's order: its interval and rules after overrides. */
  accounts: AccountWatchSettings[];
}

/** The `watch` section (or an account's) is wrong: a setup error, exit 2 before any request. */
export class WatchConfigError extends Error {
  override name = 'WatchConfigError';
}

export const watchDefaults = {
  intervalMs: 5 * 60_000,
  retentionMs: 90 * 86_400_000,
  forecastWindowMs: 7 * 86_400_000,
  alerts: { belowPercent: undefined, depletionDays: undefined, expiringDays: 7, failures: 3, repeatMs: 86_400_000 },
} as const satisfies Partial<WatchConfig>;

const watchFields = [
  'interval',
  'jitter',
  'store',
  'storeAuthTokenEnv',
  'retention',
  'forecastWindow',
  'alerts',
  'notify',
];
const accountWatchFields = ['interval', 'alerts'];
const alertFields = ['belowPercent', 'depletionDays', 'expiringDays', 'failures', 'repeat'];
const notifierFields: Record<NotifierConfig['type'], string[]> = {
  webhook: ['type', 'name', 'urlEnv', 'secretEnv'],
  slack: ['type', 'name', 'urlEnv'],
  discord: ['type', 'name', 'urlEnv'],
  email: ['type', 'name', 'smtpUrlEnv', 'from', 'to'],
};

/**
 * Reads `watch` from the config document (the parsed config file; `undefined` without one) and
 * each account's own `watch`. URLs and secrets come from the environment variables it names.
 */
export function parseWatchConfig(
  document: unknown,
  options: {
    file: string;
    cwd: string;
    environment: Record<string, string | undefined>;
    accountCount: number;
    /** Skip `watch.notify` (history and forecasts need no notifier, nor its environment variables). */
    withoutNotifiers?: boolean | undefined;
  },
): WatchConfig {
  const fail = (path: string, message: string): never => {
    throw new WatchConfigError(`${options.file}: ${path}: ${message}`);
  };
  const root = isRecord(document) ? document : {};
  const watch = root['watch'] ?? {};
  if (!isRecord(watch)) return fail('watch', `expected an object, got ${describe(watch)}`);
  rejectUnknown(watch, watchFields, 'watch.', fail);

  const intervalMs = optionalDuration(watch, 'interval', 'watch.', fail, 1000) ?? watchDefaults.intervalMs;
  const jitterMs = optionalDuration(watch, 'jitter', 'watch.', fail, 0) ?? Math.round(intervalMs / 10);
  if (jitterMs >= intervalMs) fail('watch.jitter', 'must be shorter than watch.interval');
  const store = optionalString(watch, 'store', 'watch.', fail);
  const tokenEnv = optionalString(watch, 'storeAuthTokenEnv', 'watch.', fail);
  const storeAuthToken = tokenEnv === undefined ? undefined : fromEnvironment(tokenEnv, 'watch.storeAuthTokenEnv');
  const alerts = parseAlerts(watch['alerts'], 'watch.alerts', watchDefaults.alerts, fail);

  const accountDocuments = Array.isArray(root['accounts']) ? root['accounts'] : [];
  // Shared by every account without settings of its own: one object, not one per account.
  const defaults: AccountWatchSettings = { intervalMs, alerts };
  const accounts = Array.from({ length: options.accountCount }, (_, index): AccountWatchSettings => {
    const account = accountDocuments[index];
    const own = isRecord(account) ? account['watch'] : undefined;
    if (own === undefined) return defaults;
    const path = `accounts[${index}].watch`;
    if (!isRecord(own)) return fail(path, `expected an object, got ${describe(own)}`);
    rejectUnknown(own, accountWatchFields, `${path}.`, fail);
    return {
      intervalMs: optionalDuration(own, 'interval', `${path}.`, fail, 1000) ?? intervalMs,
      alerts: parseAlerts(own['alerts'], `${path}.alerts`, alerts, fail),
    };
  });

  function fromEnvironment(name: string, path: string): string {
    const value = options.environment[name];
    if (value === undefined || value.trim() === '') fail(path, `the environment variable ${name} is not set or empty`);
    return value!.trim();
  }

  const notifyDocument = options.withoutNotifiers ? [] : (watch['notify'] ?? []);
  if (!Array.isArray(notifyDocument)) return fail('watch.notify', `expected an array, got ${describe(notifyDocument)}`);
  const names = new Set<string>();
  const notify = notifyDocument.map((entry, index): NotifierConfig => {
    const path = `watch.notify[${index}]`;
    if (!isRecord(entry)) return fail(path, `expected an object, got ${describe(entry)}`);
    const type = entry['type'];
    if (typeof type !== 'string' || !(type in notifierFields)) {
      return fail(`${path}.type`, `expected one of ${Object.keys(notifierFields).join(', ')}, got ${describe(type)}`);
    }
    for (const secretField of ['url', 'secret', 'smtpUrl']) {
      if (secretField in entry) {
        fail(
          `${path}.${secretField}`,
          `URLs and secrets do not belong in the config file; name an environment variable in "${secretField}Env"`,
        );
      }
    }
    rejectUnknown(entry, notifierFields[type as NotifierConfig['type']], `${path}.`, fail);
    const name = optionalString(entry, 'name', `${path}.`, fail) ?? type;
    if (names.has(name))
      fail(`${path}.name`, `another notifier is already named ${JSON.stringify(name)}; give each a name`);
    names.add(name);
    const requiredEnv = (field: string) => {
      const variable = optionalString(entry, field, `${path}.`, fail);
      if (variable === undefined) return fail(`${path}.${field}`, 'expected the name of an environment variable');
      return fromEnvironment(variable, `${path}.${field}`);
    };
    const checkedUrl = (value: string, field: string, protocols: RegExp) => {
      let url: URL | undefined;
      try {
        url = new URL(value);
      } catch {
        // Reported below without echoing the value: it may hold a token.
      }
      if (url === undefined || !protocols.test(url.protocol)) {
        fail(
          `${path}.${field}`,
          `the environment variable's value is not a ${protocols.source.replace(/[\^$():]/g, '')} URL`,
        );
      }
      return value;
    };
    switch (type as NotifierConfig['type']) {
      case 'webhook': {
        const secretEnv = optionalString(entry, 'secretEnv', `${path}.`, fail);
        return {
          type: 'webhook',
          name,
          url: checkedUrl(requiredEnv('urlEnv'), 'urlEnv', /^(https?):$/),
          secret: secretEnv === undefined ? undefined : fromEnvironment(secretEnv, `${path}.secretEnv`),
        };
      }
      case 'slack':
      case 'discord':
        return {
          type: type as 'slack' | 'discord',
          name,
          url: checkedUrl(requiredEnv('urlEnv'), 'urlEnv', /^(https?):$/),
        };
      case 'email': {
        const to = entry['to'];
        const recipients = typeof to === 'string' ? [to] : to;
        if (
          !Array.isArray(recipients) ||
          recipients.length === 0 ||
          recipients.some((address) => !isAddress(address))
        ) {
          fail(`${path}.to`, `expected an email address or a non-empty array of them, got ${describe(to)}`);
        }
        const from = optionalString(entry, 'from', `${path}.`, fail);
        if (from === undefined || !isAddress(from))
          fail(`${path}.from`, `expected an email address, got ${describe(from)}`);
        return {
          type: 'email',
          name,
          smtpUrl: checkedUrl(requiredEnv('smtpUrlEnv'), 'smtpUrlEnv', /^(smtps?):$/),
          from: from!,
          to: recipients as string[],
        };
      }
    }
  });

  return {
    intervalMs,
    jitterMs,
    storeUrl: resolveStoreUrl(store, options),
    storeAuthToken,
    retentionMs: optionalDuration(watch, 'retention', 'watch.', fail, 3_600_000) ?? watchDefaults.retentionMs,
    forecastWindowMs:
      optionalDuration(watch, 'forecastWindow', 'watch.', fail, 3_600_000) ?? watchDefaults.forecastWindowMs,
    alerts,
    notify,
    accounts,
  };
}

type Fail = (path: string, message: string) => never;

function parseAlerts(value: unknown, path: string, inherited: AlertRules, fail: Fail): AlertRules {
  if (value === undefined) return inherited;
  if (!isRecord(value)) return fail(path, `expected an object, got ${describe(value)}`);
  rejectUnknown(value, alertFields, `${path}.`, fail);
  const number = (key: string, minimum: number, maximum: number, integer = false) => {
    const field = value[key];
    if (field === undefined) return undefined;
    if (
      typeof field !== 'number' ||
      !Number.isFinite(field) ||
      field < minimum ||
      field > maximum ||
      (integer && !Number.isInteger(field))
    ) {
      return fail(
        `${path}.${key}`,
        `expected ${integer ? 'a whole number' : 'a number'} from ${minimum} to ${maximum}, got ${describe(field)}`,
      );
    }
    return field;
  };
  return {
    belowPercent: number('belowPercent', 0, 100) ?? inherited.belowPercent,
    depletionDays: number('depletionDays', 0, 3650) ?? inherited.depletionDays,
    expiringDays: number('expiringDays', 0, 3650) ?? inherited.expiringDays,
    failures: number('failures', 1, 1000, true) ?? inherited.failures,
    repeatMs: optionalDuration(value, 'repeat', `${path}.`, fail, 60_000) ?? inherited.repeatMs,
  };
}

function optionalDuration(
  value: Record<string, unknown>,
  key: string,
  prefix: string,
  fail: Fail,
  minimumMs: number,
): number | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  const milliseconds = typeof field === 'string' ? parseDuration(field) : undefined;
  // Timers hold at most 2^31-1 ms; a year is plenty for any interval or retention.
  if (milliseconds === undefined || milliseconds < minimumMs || milliseconds > 3650 * 86_400_000) {
    return fail(
      `${prefix}${key}`,
      `expected a duration like "5m", "1h" or "90d" of at least ${minimumMs / 1000}s, got ${describe(field)}`,
    );
  }
  return milliseconds;
}

function optionalString(value: Record<string, unknown>, key: string, prefix: string, fail: Fail): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string' || field.trim() === '' || field.length > 1000) {
    return fail(`${prefix}${key}`, `expected a non-empty string, got ${describe(field)}`);
  }
  return field;
}

function rejectUnknown(value: Record<string, unknown>, known: string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${prefix}${safeKey(key)}`, `unknown field; expected one of ${known.join(', ')}`);
  }
}

function safeKey(key: string): string {
  const clean = key.replace(/[^\w.-]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}...` : clean;
}

function isAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && /^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? 'a long string' : `string ${JSON.stringify(value).replace(/[^\x20-\x7e]/g, '?')}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { type AccountConfig, type AccountsConfig, builtInProviders, type ProviderModule } from 'aicredits';

import { createStore } from './create-store.js';
import { createWatcher } from './create-watcher.js';
import { parseDuration } from './duration.js';
import { describeForecast, type Forecast, forecastAccount } from './forecast.js';
import { createNotifier } from './notifiers.js';
import { accountKey, type Reading } from './reading.js';
import { plainText } from './safe-text.js';
import type { Store } from './store.js';
import { StoreError } from './store-error.js';
import type { WatchClock } from './watch-clock.js';
import { parseWatchConfig, type WatchConfig, WatchConfigError } from './watch-config.js';

/** What the `aicredits` command gives the commands it loads from this package. */
export interface CommandContext {
  environment: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  signal?: AbortSignal | undefined;
  /**
   * Time for `watch` and `history`: a simulated clock lets a demo or a test take a day of readings
   * in moments (`createManualClock`). Default the system clock.
   */
  clock?: WatchClock | undefined;
}

export interface CommandHost {
  /** The CLI's own config loading (`--config`, discovery, validation); throws its usage error. */
  loadConfig(configPath: string | undefined): Promise<{ config: AccountsConfig; source: string; document: unknown }>;
  /**
   * The CLI's own option parsing: "did you mean" for a mistyped option, comma lists for repeatable
   * ones, its messages; throws the usage error.
   */
  parseOptions(
    argv: readonly string[],
    options: CommandOptionSpecs,
  ): Record<string, string | string[] | boolean | undefined>;
}

export interface MonitorCommand {
  summary: string;
  help: string;
  run(argv: readonly string[], context: CommandContext, host: CommandHost): Promise<number>;
}

const exit = { ok: 0, alert: 1, usage: 2 } as const;

/** Where the monitor's commands are documented. */
export const docsURL = 'https://github.com/aicredits/aicredits/tree/main/packages/monitor#readme';

const watchHelp = `Usage: aicredits watch [options]

Checks every configured account on a schedule (config watch.interval, default 5m), keeps each
reading in the history database and sends the notifications of watch.notify when an account goes
low, fails, expires or recovers. Stops cleanly on Ctrl-C or SIGTERM.

Options:
  --config <file>     Config file (default: found as for 'aicredits balances')
  --once              One round, then exit with the codes of 'aicredits balances' (for cron)
  --account <label>   Only these account labels (repeatable or a comma list)
  -h, --help          This help

Exit codes: 0 ok (and after a clean stop); 1 with --once, an account failed, is low or expired;
            2 bad command line, config or history database.

Examples:
  $ aicredits watch
      Every account on the config's schedule, until Ctrl-C
  $ aicredits watch --once --account main,backup
      One round of two accounts, for cron

Learn more: ${docsURL}
`;

const historyHelp = `Usage: aicredits history [options]

Shows the readings 'aicredits watch' stored, and each account's forecast.

Options:
  --config <file>     Config file (default: found as for 'aicredits balances')
  --account <label>   Only these account labels (repeatable or a comma list)
  --provider <id>     Only this provider
  --since <duration>  Only readings this recent, e.g. 7d, 12h (default 7d)
  --json              Print JSON
  -h, --help          This help

Examples:
  $ aicredits history --since 24h
      The last day's readings and each account's forecast
  $ aicredits history --account main --json | jq .
      One account, for scripts

Learn more: ${docsURL}
`;

/** The options a command declares, for the CLI's parser (`CommandHost.parseOptions`). */
export type CommandOptionSpecs = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; valueName?: string }
>;

/** The command's options plus `--config` and `--help`; a number is the exit code to return at once. */
function parseCommandLine(
  argv: readonly string[],
  context: CommandContext,
  host: CommandHost,
  command: 'watch' | 'history',
  options: CommandOptionSpecs,
) {
  const spec: CommandOptionSpecs = {
    ...options,
    config: { type: 'string', valueName: '<file>' },
    help: { type: 'boolean', short: 'h' },
  };
  let values: CommandLine;
  try {
    values = host.parseOptions(argv, spec) as CommandLine;
  } catch (error) {
    return usage(context, command, (error as Error).message);
  }
  if (values.help) {
    context.stdout.write(command === 'watch' ? watchHelp : historyHelp);
    return exit.ok;
  }
  return values;
}

/** Every option either command takes; each command's parser accepts only its own. */
interface CommandLine {
  config?: string;
  help?: boolean;
  once?: boolean;
  account?: string[];
  provider?: string;
  since?: string;
  json?: boolean;
}

export function usage(context: CommandContext, command: string, message: string): number {
  // Messages may quote the command line or a config value: no escape sequence reaches the terminal.
  context.stderr.write(
    `aicredits ${command}: ${plainText(message, [], 2000)}\nRun 'aicredits ${command} --help' for usage.\n`,
  );
  return exit.usage;
}

export async function setup(
  configPath: string | undefined,
  context: CommandContext,
  host: CommandHost,
  withoutNotifiers = false,
) {
  const { config, source, document } = await host.loadConfig(configPath);
  const watch = parseWatchConfig(document, {
    file: source,
    cwd: context.cwd,
    environment: context.environment,
    accountCount: config.accounts.length,
    withoutNotifiers,
  });
  return { config, watch };
}

export /** What messages must lose besides the accounts' keys, which the watcher removes from each reading. */
function secretsOf(config: AccountsConfig, watch: WatchConfig): string[] {
  return [
    ...watch.notify.flatMap((notifier) =>
      notifier.type === 'email'
        ? [notifier.smtpUrl]
        : [notifier.url, ...(notifier.type === 'webhook' && notifier.secret ? [notifier.secret] : [])],
    ),
    ...(watch.storeAuthToken === undefined ? [] : [watch.storeAuthToken]),
  ];
}

/**
 * What `watch` and `serve` start from: the config and its `watch` section, the accounts `--account`
 * selects, and the history store; a number is the exit code of a setup error (already reported).
 */
export async function openWatch(
  command: 'watch' | 'serve',
  values: { config?: string | undefined; account?: string[] | undefined },
  context: CommandContext,
  host: CommandHost,
): Promise<number | { config: AccountsConfig; watch: WatchConfig; store: Store }> {
  let config: AccountsConfig;
  let watch: WatchConfig;
  try {
    ({ config, watch } = await setup(values.config, context, host));
  } catch (error) {
    if (error instanceof WatchConfigError) return usage(context, command, error.message);
    throw error;
  }
  const labels = values.account ?? [];
  const selected = config.accounts
    .map((account, index) => ({ account, settings: watch.accounts[index]! }))
    // An entry that stands for accounts found when checked (PixVerse's allAccounts) has labels
    // known only once it answers: kept whole.
    .filter(
      ({ account }) =>
        labels.length === 0 ||
        labels.includes(accountLabel(account, config)) ||
        moduleOf(account, config)?.discoversAccounts?.(account as never) === true,
    );
  if (selected.length === 0) return usage(context, command, 'no configured account matches --account');
  config = { ...config, accounts: selected.map(({ account }) => account) };
  watch = { ...watch, accounts: selected.map(({ settings }) => settings) };

  let store: Store;
  try {
    store = await createStore({ url: watch.storeUrl, authToken: watch.storeAuthToken });
  } catch (error) {
    if (StoreError.isInstance(error)) return usage(context, command, error.message);
    throw error;
  }
  return { config, watch, store };
}

export const watchCommand: MonitorCommand = {
  summary: 'check every account on a schedule, keep a history, notify',
  help: watchHelp,
  async run(argv, context, host) {
    const values = parseCommandLine(argv, context, host, 'watch', {
      once: { type: 'boolean' },
      account: { type: 'string', multiple: true, valueName: '<label>' },
    });
    if (typeof values === 'number') return values;
    const opened = await openWatch('watch', values, context, host);
    if (typeof opened === 'number') return opened;
    const { config, watch, store } = opened;
    const secrets = secretsOf(config, watch);
    const line = (text: string) => context.stdout.write(`${text}\n`);
    const watcher = createWatcher({
      accounts: config,
      watch,
      store,
      clock: context.clock,
      secrets,
      notifiers: watch.notify.map((notifier) => createNotifier(notifier)),
      onReading: (reading) => line(describeReading(reading, secrets)),
      onError: (error) => context.stderr.write(`aicredits watch: ${plainText(error.message, secrets, 2000)}\n`),
      onDelivery: (delivery) => {
        if (delivery.ok) context.stderr.write(`aicredits watch: notified ${plainText(delivery.notifier, secrets)}\n`);
      },
    });
    try {
      if (values.once) {
        const readings = await watcher.runOnce();
        await watcher.stop();
        return readings.some(needsAttention) ? exit.alert : exit.ok;
      }
      context.stderr.write(
        `aicredits watch: watching ${config.accounts.length} account(s) every ${formatInterval(watch.intervalMs)}; history in ${store.location}; Ctrl-C stops\n`,
      );
      watcher.start();
      await waitForStop(context.signal);
      context.stderr.write('aicredits watch: stopping...\n');
      await watcher.stop();
      return exit.ok;
    } finally {
      await store.close();
    }
  },
};

/** The provider module of an account: a built-in one or one of the config's `providers`. */
function moduleOf(account: AccountConfig, config: AccountsConfig): ProviderModule | undefined {
  const modules: readonly ProviderModule[] = [
    ...builtInProviders,
    ...((config.providers ?? []) as readonly unknown[] as readonly ProviderModule[]),
  ];
  return modules.find((module) => module.id === account.provider);
}

/** The label `balances` shows and `--account` matches: the account's own, its provider's rule (the PixVerse email), else `default`. */
function accountLabel(account: AccountConfig, config: AccountsConfig): string {
  // The module reads its own fields (the PixVerse `email`): the account is of its provider.
  return account.label ?? moduleOf(account, config)?.defaultLabel?.(account as never) ?? 'default';
}

function needsAttention(reading: Reading): boolean {
  if (!reading.ok) return true;
  if (reading.status === 'expired') return true;
  return (
    reading.min !== undefined &&
    !reading.unlimited &&
    (reading.remaining === undefined || reading.remaining < reading.min)
  );
}

export function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    if (signal?.aborted) return resolve();
    signal?.addEventListener('abort', done, { once: true });
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
}

function formatInterval(milliseconds: number): string {
  return milliseconds % 60_000 === 0 ? `${milliseconds / 60_000}m` : `${milliseconds / 1000}s`;
}

function describeReading(reading: Reading, secrets: readonly string[]): string {
  const name = plainText(`${reading.provider}/${reading.account}`, secrets);
  const at = reading.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!reading.ok)
    return `${at}  ${name}  error (${reading.errorKind}): ${plainText(reading.errorMessage ?? '', secrets, 200)}`;
  const amount = reading.unlimited
    ? 'unlimited'
    : `${reading.remaining ?? '?'}${reading.limit === undefined ? '' : ` / ${reading.limit}`} ${plainText(reading.unit ?? '', secrets)}`;
  const low = needsAttention(reading)
    ? reading.status === 'expired'
      ? '  EXPIRED'
      : `  LOW (min ${reading.min})`
    : '';
  return `${at}  ${name}  ${amount}  ${reading.status ?? ''}${low}`;
}

export const historyCommand: MonitorCommand = {
  summary: 'show the stored readings and forecasts',
  help: historyHelp,
  async run(argv, context, host) {
    const values = parseCommandLine(argv, context, host, 'history', {
      account: { type: 'string', multiple: true, valueName: '<label>' },
      provider: { type: 'string', valueName: '<id>' },
      since: { type: 'string', valueName: '<duration>' },
      json: { type: 'boolean' },
    });
    if (typeof values === 'number') return values;
    const sinceMs = values.since === undefined ? 7 * 86_400_000 : parseDuration(values.since);
    if (sinceMs === undefined)
      return usage(
        context,
        'history',
        `--since: expected a duration like 7d or 12h, got ${JSON.stringify(plainText(values.since!, []))}`,
      );
    let watch: WatchConfig;
    let config: AccountsConfig;
    try {
      ({ config, watch } = await setup(values.config, context, host, true));
    } catch (error) {
      if (error instanceof WatchConfigError) return usage(context, 'history', error.message);
      throw error;
    }
    const secrets = secretsOf(config, watch);
    if (watch.storeUrl.startsWith('file:') && !existsSync(fileURLToPath(watch.storeUrl))) {
      context.stderr.write(
        `aicredits history: no history yet at ${fileURLToPath(watch.storeUrl)}; 'aicredits watch' writes it\n`,
      );
      return exit.ok;
    }
    let store: Store;
    try {
      store = await createStore({ url: watch.storeUrl, authToken: watch.storeAuthToken });
    } catch (error) {
      if (StoreError.isInstance(error)) return usage(context, 'history', error.message);
      throw error;
    }
    try {
      const now = new Date(context.clock?.now() ?? Date.now());
      const readings = await store.readings({
        accounts: values.account,
        provider: values.provider,
        since: new Date(now.getTime() - sinceMs),
      });
      const forecasts = forecastsOf(readings, now);
      if (values.json) {
        context.stdout.write(
          `${JSON.stringify({ readings: readings.map(readingToJson), forecasts: forecasts.map(forecastToJson) }, null, 2)}\n`,
        );
        return exit.ok;
      }
      if (readings.length === 0) {
        context.stdout.write('No readings in that range.\n');
        return exit.ok;
      }
      for (const reading of readings) context.stdout.write(`${describeReading(reading, secrets)}\n`);
      context.stdout.write('\n');
      for (const forecast of forecasts) {
        const text = describeForecast(forecast, now) || 'not enough readings for a forecast yet';
        context.stdout.write(`${plainText(`${forecast.provider}/${forecast.account}`, secrets)}: ${text}\n`);
      }
      return exit.ok;
    } catch (error) {
      if (StoreError.isInstance(error)) return usage(context, 'history', error.message);
      throw error;
    } finally {
      await store.close();
    }
  },
};

function forecastsOf(readings: readonly Reading[], now: Date): Forecast[] {
  const byAccount = new Map<string, Reading[]>();
  for (const reading of readings) {
    const key = accountKey(reading);
    byAccount.set(key, [...(byAccount.get(key) ?? []), reading]);
  }
  return [...byAccount.values()].flatMap((own) => forecastAccount(own, now) ?? []);
}

function readingToJson(reading: Reading) {
  const date = (value: Date | undefined) => value?.toISOString() ?? null;
  return {
    provider: reading.provider,
    account: reading.account,
    at: reading.at.toISOString(),
    ok: reading.ok,
    remaining: reading.remaining ?? null,
    limit: reading.limit ?? null,
    unit: reading.unit ?? null,
    unlimited: reading.unlimited,
    plan: reading.plan ?? null,
    status: reading.status ?? null,
    renewsAt: date(reading.renewsAt),
    expiresAt: date(reading.expiresAt),
    parts: reading.parts.map((part) => ({ ...part, resetsAt: date(part.resetsAt), expiresAt: date(part.expiresAt) })),
    min: reading.min ?? null,
    errorKind: reading.errorKind ?? null,
  };
}

function forecastToJson(forecast: Forecast) {
  const date = (value: Date | undefined) => value?.toISOString() ?? null;
  const burn = (value: Omit<Forecast, 'provider' | 'account' | 'remaining' | 'unit' | 'parts'>) => ({
    burnPerDay: value.burnPerDay ?? null,
    depletesAt: date(value.depletesAt),
    resetsAt: date(value.resetsAt),
    beforeReset: value.beforeReset ?? null,
    samples: value.samples,
    segmentStart: date(value.segmentStart),
  });
  return {
    provider: forecast.provider,
    account: forecast.account,
    remaining: forecast.remaining ?? null,
    unit: forecast.unit ?? null,
    ...burn(forecast),
    parts: forecast.parts.map((part) => ({ name: part.name, remaining: part.remaining ?? null, ...burn(part) })),
  };
}

/**
 * For `aicredits balances`: each account's forecast line from an existing history (the store is
 * never created here), keyed by `provider/account`; empty without a history.
 */
export async function forecastNotes(options: {
  document: unknown;
  source: string;
  config: AccountsConfig;
  cwd: string;
  environment: Record<string, string | undefined>;
  now?: Date | undefined;
}): Promise<Map<string, string>> {
  const watch = parseWatchConfig(options.document, {
    file: options.source,
    cwd: options.cwd,
    environment: options.environment,
    accountCount: options.config.accounts.length,
    withoutNotifiers: true,
  });
  if (watch.storeUrl.startsWith('file:') && !existsSync(fileURLToPath(watch.storeUrl))) return new Map();
  const store = await createStore({ url: watch.storeUrl, authToken: watch.storeAuthToken });
  try {
    const now = options.now ?? new Date();
    const readings = await store.readings({ since: new Date(now.getTime() - watch.forecastWindowMs) });
    const notes = new Map<string, string>();
    for (const forecast of forecastsOf(readings, now)) {
      const text = describeForecast(forecast, now);
      if (text !== '') notes.set(accountKey(forecast), text);
    }
    return notes;
  } finally {
    await store.close();
  }
}

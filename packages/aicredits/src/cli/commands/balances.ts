import { type ProviderModule, UserAbortError } from '@aicredits/core';

import type { BalanceResult } from '../../balance-result.js';
import { createAccounts } from '../../create-accounts.js';
import { accountLabel, providerRegistry } from '../../provider-registry.js';
import { providerIds } from '../../providers.js';
import type { AnyAccountConfig } from '../../shared-settings.js';
import { checkSetup } from '../check-setup.js';
import { type CliContext, InterruptedError, interruptedExitCode, type OutputStream } from '../cli-context.js';
import { colorEnabled, progressEnabled } from '../color-support.js';
import type { Command, OptionSpecs, ParsedOptions } from '../command.js';
import { ConfigError } from '../config-error.js';
import { parseDuration } from '../duration.js';
import { exitCodeFor, exitCodesHelp } from '../exit-status.js';
import { loadConfig } from '../load-config.js';
import { withForecasts } from '../monitor-commands.js';
import { ansiColors, noColors, renderTable } from '../render-table.js';
import { resultsToJson } from '../to-json.js';

/** The options that pick and tune the accounts to check; other commands (watch, serve) reuse them. */
export const accountOptions = {
  config: {
    type: 'string',
    valueName: '<file>',
    description:
      'Config file (default: the first of $AICREDITS_CONFIG, ./aicredits.config.json,\n$XDG_CONFIG_HOME/aicredits/config.json, else ~/.config/aicredits/config.json;\nwithout one, every provider whose API key variable is set is checked)',
  },
  provider: {
    type: 'string',
    multiple: true,
    valueName: '<id>',
    description: `Only these providers (repeatable or a comma list):\n${providerIds.join(', ')}, or one named in the config's "providers"`,
  },
  account: {
    type: 'string',
    multiple: true,
    valueName: '<label>',
    description:
      'Only these account labels (repeatable or a comma list); a PixVerse\nallAccounts label selects every account found under it',
  },
  min: {
    type: 'string',
    valueName: '<n>',
    description: "Alert when any account has fewer than n left (overrides the config's min)",
  },
  concurrency: { type: 'string', valueName: '<n>', description: 'Accounts checked at once (default 8)' },
  timeout: {
    type: 'string',
    valueName: '<duration>',
    description:
      'Time budget per account, retries included: 500ms, 60s, 2m; a bare\nnumber is milliseconds (default 60s)',
  },
} as const satisfies OptionSpecs;

const options = {
  ...accountOptions,
  json: { type: 'boolean', description: 'Print JSON instead of a table' },
  'detailed-exit-codes': {
    type: 'boolean',
    description: 'Tell low (3), expired (4), failed (5) and unreachable (6) apart in the\nexit code',
  },
  'no-color': { type: 'boolean', description: 'No colours (also: NO_COLOR=1; FORCE_COLOR=1 forces them)' },
  help: { type: 'boolean', short: 'h', description: 'This help' },
} as const satisfies OptionSpecs;

export const balancesCommand: Command = {
  name: 'balances',
  summary: 'Show the remaining credits of every configured account (the default)',
  usage: 'balances [options]',
  description: 'Shows the remaining credits of every configured account, one row per account.',
  options,
  examples: [
    { command: 'balances', description: 'Every account in ./aicredits.config.json, or from the API key variables' },
    { command: 'balances --provider iqqz,imaginepro --min 100', description: 'Two providers; exit 1 below 100 left' },
    { command: 'balances --json --timeout 10s | jq .results', description: 'JSON for scripts, 10 seconds per account' },
    {
      command: 'balances --detailed-exit-codes || echo "exit $?"',
      description: 'Alerting: 3 low, 4 expired, 5 failed, 6 unreachable',
    },
  ],
  sections: [{ title: 'Exit codes', text: exitCodesHelp }],
  run: runBalances,
};

async function runBalances(context: CliContext, { values }: ParsedOptions): Promise<number> {
  const selection = await selectAccounts(context, values);
  const json = values['json'] === true;
  const progress = createProgress(context.stderr, !json && progressEnabled(context.stderr, context.environment));
  const fetchedAt = new Date();
  const checked = (
    await createAccounts(selection.config).balances({ signal: context.signal, onResult: progress.update })
  ).filter((result) => selection.labels.length === 0 || selection.labels.some((label) => matches(result, label)));
  progress.done();
  const results = await withForecasts(checked, selection.loaded, context);
  const interrupted = context.signal?.aborted === true;
  // A label that matched no discovered PixVerse account: as much a usage error as one matching nothing.
  if (results.length === 0 && !interrupted)
    throw new ConfigError('no configured account matches --provider / --account');

  const shown = interrupted ? results.map(markInterrupted) : results;
  const colors = colorEnabled(context.stdout, context.environment, values['no-color'] === true) ? ansiColors : noColors;
  context.stdout.write(json ? resultsToJson(shown, fetchedAt) : renderTable(shown, colors));
  if (interrupted) {
    context.stderr.write('aicredits: interrupted; accounts not done are shown as interrupted\n');
    return interruptedExitCode(context.signal!);
  }
  return exitCodeFor(results, values['detailed-exit-codes'] === true);
}

/** An account cut short by Ctrl-C reads "interrupted", not as a failure of its provider. */
function markInterrupted(result: BalanceResult): BalanceResult {
  if (result.ok || !UserAbortError.isInstance(result.error)) return result;
  return { ...result, error: new InterruptedError() };
}

/** The accounts the options select, with the options' overrides applied; setup errors are ConfigErrors. */
export async function selectAccounts(context: CliContext, values: ParsedOptions['values']) {
  const providers = (values['provider'] ?? []) as string[];
  const min = parseNumberOption('--min', values['min'] as string | undefined, 0, false);
  const concurrency = parseNumberOption('--concurrency', values['concurrency'] as string | undefined, 1, true);
  const timeout = values['timeout'] as string | undefined;
  const accountTimeout = timeout === undefined ? undefined : parseDuration('--timeout', timeout);
  const loaded = await loadConfig({
    configPath: values['config'] as string | undefined,
    cwd: context.cwd,
    environment: context.environment,
  });
  const { config } = loaded;
  // Third-party providers named in the config are valid --provider values too.
  const registry = providerRegistry(config.providers);
  for (const provider of providers) {
    if (!registry.has(provider)) {
      throw new ConfigError(
        `--provider: expected one of ${[...registry.keys()].join(', ')}, got ${JSON.stringify(provider)}`,
      );
    }
  }
  const labels = (values['account'] ?? []) as string[];
  const accounts = (config.accounts as readonly AnyAccountConfig[])
    .filter((account) => providers.length === 0 || providers.includes(account.provider))
    .filter((account) => labels.length === 0 || mayMatch(account, labels, registry))
    .map((account) => (min === undefined ? account : { ...account, min }));
  if (accounts.length === 0) throw new ConfigError('no configured account matches --provider / --account');
  const selected = {
    ...config,
    accounts: accounts as typeof config.accounts,
    min: min ?? config.min,
    concurrency: concurrency ?? config.concurrency,
    accountTimeout: accountTimeout ?? config.accountTimeout,
  };
  // Before any request: a setup mistake must exit 2, not read as a failing account (exit 1).
  checkSetup(selected);
  return { labels, loaded, config: selected };
}

function parseNumberOption(
  name: string,
  value: string | undefined,
  minimum: number,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  // Plain decimal only: `Number` would also take `0x10`, `1e3`, `0b1` and surrounding spaces.
  const number = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < minimum) {
    throw new ConfigError(
      `${name}: expected ${integer ? 'a whole number' : 'a number'} of at least ${minimum}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** Before fetching, keep accounts whose label could match; labels of discovered accounts are only known later. */
function mayMatch(
  account: AnyAccountConfig,
  labels: readonly string[],
  registry: ReadonlyMap<string, ProviderModule>,
): boolean {
  if (registry.get(account.provider)?.discoversAccounts?.(account)) return true;
  return labels.includes(accountLabel(account, registry));
}

function matches(result: BalanceResult, label: string): boolean {
  return result.account === label || result.account.endsWith(`/${label}`) || result.account.startsWith(`${label}/`);
}

/** A single self-updating stderr line while slow providers are still answering. */
function createProgress(stderr: OutputStream, active: boolean) {
  const started = Date.now();
  let answered = 0;
  const draw = () => {
    if (active)
      stderr.write(
        `\r\u001b[2Kaicredits: ${answered} answered, waiting for the rest... ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
  };
  const timer = active ? setInterval(draw, 250) : undefined;
  timer?.unref?.();
  return {
    update: () => {
      answered++;
      draw();
    },
    done: () => {
      if (timer !== undefined) clearInterval(timer);
      if (active) stderr.write('\r\u001b[2K');
    },
  };
}

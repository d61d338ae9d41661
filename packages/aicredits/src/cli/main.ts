/**
 * `aicredits/cli`: the `aicredits` command as a function, to embed it in your own tool or script.
 *
 * @module aicredits/cli
 */
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { accountLabel, type AccountConfig, type ProviderId } from '../account-config.js';
import { needsAttention, type BalanceResult } from '../balance-result.js';
import { createAccounts } from '../create-accounts.js';
import { providerIds } from '../providers.js';
import { ConfigError } from './config-error.js';
import { defaultConfigFile, loadConfig } from './load-config.js';
import { monitorCommandNames, runMonitorCommand, withForecasts } from './monitor-commands.js';
import { ansiColors, noColors, renderTable } from './render-table.js';
import { resultsToJson } from './to-json.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface CliContext {
  argv: readonly string[];
  environment: Record<string, string | undefined>;
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Stops every pending request, e.g. on Ctrl-C. */
  signal?: AbortSignal | undefined;
}

export const exitCodes = { ok: 0, alert: 1, usage: 2 } as const;

const help = `Usage: aicredits balances [options]

Shows the remaining credits of every configured account.

Other commands, with the @aicredits/monitor package installed (see 'aicredits watch --help'):
  aicredits watch       Check every account on a schedule, keep a history, notify
  aicredits history     The stored readings and each account's forecast

Options:
  --config <file>       Config file (default: ./${defaultConfigFile}; without one, every provider
                        whose API key environment variable is set is checked)
  --json                Print JSON instead of a table
  --provider <id>       Only this provider (repeatable): ${providerIds.join(', ')}
  --account <label>     Only this account label (repeatable); a PixVerse allAccounts label
                        selects every account found under it
  --min <n>             Exit 1 when any account has fewer than n left (overrides the config's min)
  --concurrency <n>     Accounts checked at once (default 8)
  --timeout <ms>        Time budget per account, retries included (default 60000)
  --no-color            No colours (also: NO_COLOR environment variable)
  -h, --help            This help
  -v, --version         The version

Exit codes: 0 every account answered, none is below its threshold and no plan has expired;
            1 an account failed, its plan has expired, or it is below its threshold (with a
              threshold set, an unknown remaining amount counts as below);
            2 bad command line or config.
`;

export async function main(context: CliContext): Promise<number> {
  const { stdout, stderr } = context;
  const [first, ...others] = context.argv;
  if (first !== undefined && monitorCommandNames.includes(first)) return runMonitorCommand(first, others, context);
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parse(context.argv));
  } catch (error) {
    stderr.write(`aicredits: ${(error as Error).message}\nRun 'aicredits --help' for usage.\n`);
    return exitCodes.usage;
  }
  if (values.help) {
    stdout.write(help);
    return exitCodes.ok;
  }
  if (values.version) {
    stdout.write(`${packageJson.version}\n`);
    return exitCodes.ok;
  }
  const [command = 'balances', ...rest] = positionals;
  if (command !== 'balances' || rest.length > 0) {
    stderr.write(
      `aicredits: unknown command ${JSON.stringify([command, ...rest].join(' '))}\nRun 'aicredits --help' for usage.\n`,
    );
    return exitCodes.usage;
  }

  try {
    const providers = (values.provider ?? []) as ProviderId[];
    for (const provider of providers) {
      if (!providerIds.includes(provider)) {
        throw new ConfigError(`--provider: expected one of ${providerIds.join(', ')}, got ${JSON.stringify(provider)}`);
      }
    }
    const min = parseNumberOption('--min', values.min, 0, false);
    const concurrency = parseNumberOption('--concurrency', values.concurrency, 1, true);
    const accountTimeout = parseNumberOption('--timeout', values.timeout, 1, true);
    const loaded = await loadConfig({
      configPath: values.config,
      cwd: context.cwd,
      environment: context.environment,
    });
    const { config } = loaded;
    const labels = values.account ?? [];
    const accounts = config.accounts
      .filter((account) => providers.length === 0 || providers.includes(account.provider))
      .filter((account) => labels.length === 0 || mayMatch(account, labels))
      .map((account) => (min === undefined ? account : { ...account, min }));
    if (accounts.length === 0) throw new ConfigError('no configured account matches --provider / --account');

    const progress = createProgress(context.stderr, !values.json);
    const fetchedAt = new Date();
    const checked = (
      await createAccounts({
        ...config,
        accounts,
        min: min ?? config.min,
        concurrency: concurrency ?? config.concurrency,
        accountTimeout: accountTimeout ?? config.accountTimeout,
      }).balances({ signal: context.signal, onResult: progress.update })
    ).filter((result) => labels.length === 0 || labels.some((label) => matches(result, label)));
    progress.done();
    const results = await withForecasts(checked, loaded, context);
    // A label that matched no discovered PixVerse account: as much a usage error as one matching nothing.
    if (results.length === 0) throw new ConfigError('no configured account matches --provider / --account');

    const useColor =
      stdout.isTTY === true &&
      !values['no-color'] &&
      !('NO_COLOR' in context.environment && context.environment['NO_COLOR'] !== '');
    stdout.write(
      values.json ? resultsToJson(results, fetchedAt) : renderTable(results, useColor ? ansiColors : noColors),
    );
    return results.some(needsAttention) ? exitCodes.alert : exitCodes.ok;
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`aicredits: ${error.message}\n`);
      return exitCodes.usage;
    }
    throw error;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      json: { type: 'boolean' },
      provider: { type: 'string', multiple: true },
      account: { type: 'string', multiple: true },
      min: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function parseNumberOption(
  name: string,
  value: string | undefined,
  minimum: number,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < minimum || (integer && !Number.isInteger(number))) {
    throw new ConfigError(
      `${name}: expected ${integer ? 'a whole number' : 'a number'} of at least ${minimum}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** Before fetching, keep accounts whose label could match; PixVerse discovery labels are only known later. */
function mayMatch(account: AccountConfig, labels: readonly string[]): boolean {
  if (account.provider === 'pixverse' && account.allAccounts) return true;
  return labels.includes(accountLabel(account));
}

function matches(result: BalanceResult, label: string): boolean {
  return result.account === label || result.account.endsWith(`/${label}`) || result.account.startsWith(`${label}/`);
}

/** A single self-updating stderr line while slow providers are still answering; silent off a TTY. */
function createProgress(stderr: OutputStream, enabled: boolean) {
  const active = enabled && stderr.isTTY === true;
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

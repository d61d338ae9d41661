import type { AccountsConfig } from '../account-config.js';
import type { BalanceResult } from '../balance-result.js';
import type { CliContext } from './cli-context.js';
import type { OptionSpecs, ParsedOptions } from './command.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { parseOptions } from './parse-options.js';

/**
 * `aicredits watch` and `aicredits history` live in `@aicredits/monitor` (an optional peer
 * dependency): it brings a database, a scheduler and mail code that this package never loads on its
 * own. The CLI imports it by name only when one of these commands runs.
 */
export const monitorCommandNames: readonly string[] = ['watch', 'history'];

export const monitorPackage = '@aicredits/monitor';

interface MonitorModule {
  cliCommands: Record<
    string,
    {
      run(
        argv: readonly string[],
        context: CliContext,
        host: {
          loadConfig(configPath: string | undefined): ReturnType<typeof loadConfig>;
          parseOptions(argv: readonly string[], options: OptionSpecs): ParsedOptions['values'];
        },
      ): Promise<number>;
    }
  >;
  forecastNotes(options: {
    document: unknown;
    source: string;
    config: AccountsConfig;
    cwd: string;
    environment: Record<string, string | undefined>;
  }): Promise<Map<string, string>>;
}

export type ImportModule = (specifier: string) => Promise<unknown>;

// A variable specifier: neither TypeScript nor the bundler resolves it at build time.
const importByName: ImportModule = (specifier) => import(specifier);

async function loadMonitor(importModule: ImportModule): Promise<MonitorModule | undefined> {
  try {
    return (await importModule(monitorPackage)) as MonitorModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Not installed, or (in this repository) not built yet.
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      /@aicredits\/monitor|[\\/]monitor[\\/]/.test(String((error as Error).message))
    ) {
      return undefined;
    }
    throw error;
  }
}

export async function runMonitorCommand(
  name: string,
  argv: readonly string[],
  context: CliContext,
  importModule: ImportModule = importByName,
): Promise<number> {
  const monitor = await loadMonitor(importModule);
  const command = monitor?.cliCommands[name];
  if (command === undefined) {
    context.stderr.write(
      `aicredits: 'aicredits ${name}' needs the ${monitorPackage} package: npm install ${monitorPackage}\n`,
    );
    return 2;
  }
  try {
    return await command.run(argv, context, {
      loadConfig: (configPath) => loadConfig({ configPath, cwd: context.cwd, environment: context.environment }),
      // The CLI's own parsing, so that these commands too answer a mistyped option with "did you
      // mean" and take comma lists; its errors are the command's usage errors.
      parseOptions: (args, options) => parseOptions(args, options).values,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      context.stderr.write(`aicredits: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * `balances` shows each account's forecast when the config has a `watch` section,
 * @aicredits/monitor is installed and its history exists; otherwise the output is the same as ever.
 */
export async function withForecasts(
  results: BalanceResult[],
  loaded: { config: AccountsConfig; source: string; document: unknown },
  context: CliContext,
  importModule: ImportModule = importByName,
): Promise<BalanceResult[]> {
  const document = loaded.document;
  if (typeof document !== 'object' || document === null || !('watch' in document)) return results;
  let notes: Map<string, string>;
  try {
    const monitor = await loadMonitor(importModule);
    if (monitor === undefined) return results;
    notes = await monitor.forecastNotes({ ...loaded, cwd: context.cwd, environment: context.environment });
  } catch (error) {
    context.stderr.write(`aicredits: no forecast: ${(error as Error).message}\n`);
    return results;
  }
  return results.map((result) => {
    const note = notes.get(`${result.provider}/${result.account}`);
    if (!result.ok || note === undefined) return result;
    return { ...result, balance: { ...result.balance, notes: [...result.balance.notes, note] } };
  });
}

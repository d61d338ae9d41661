/**
 * `aicredits/cli`: the `aicredits` command as a function, to embed it in your own tool or script.
 *
 * @module aicredits/cli
 */
import { SettingsError } from '@aicredits/core';

import { type CliContext, exitCodes } from './cli-context.js';
import type { Command } from './command.js';
import { commands, defaultCommand } from './commands.js';
import { ConfigError } from './config-error.js';
import { closestMatch } from './did-you-mean.js';
import { renderCommandHelp, renderOverview } from './help.js';
import { parseOptions } from './parse-options.js';
import { terminalSafeText } from './terminal-safe-text.js';

export {
  type CliContext,
  type CommandClock,
  exitCodes,
  type InterruptingSignal,
  interruption,
  type OutputStream,
} from './cli-context.js';
export { configJsonSchema } from './config-schema.js';

/**
 * Runs `aicredits` with the given arguments and streams and resolves to its exit code; it never
 * calls `process.exit`. Setup errors are written to `stderr` and resolve to 2.
 *
 * @example
 * ```ts
 * import { main } from 'aicredits/cli';
 *
 * const code = await main({
 *   argv: ['balances', '--json', '--provider', 'iqqz'],
 *   environment: process.env,
 *   cwd: process.cwd(),
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 * });
 * process.exitCode = code;
 * ```
 */
export async function main(context: CliContext): Promise<number> {
  const { stdout, stderr } = context;
  const [first, ...rest] = context.argv;
  if (first === '--version' || first === '-v') return run(context, findCommand('version')!, []);
  if (first === '--help' || first === '-h') {
    stdout.write(renderOverview(commands, defaultCommand));
    return exitCodes.ok;
  }
  const named = first !== undefined && !first.startsWith('-');
  const command = named ? findCommand(first) : findCommand(defaultCommand);
  if (command === undefined) {
    const suggestion = closestMatch(
      first!,
      commands.map((candidate) => candidate.name),
    );
    stderr.write(
      `aicredits: unknown command ${JSON.stringify(first!.slice(0, 40))}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}\n` +
        "Run 'aicredits --help' for usage.\n",
    );
    return exitCodes.usage;
  }
  return run(context, command, named ? rest : context.argv);
}

async function run(context: CliContext, command: Command, args: readonly string[]): Promise<number> {
  if (command.passThrough) return command.run(context, { values: {}, positionals: [...args] });
  const help = command.name === 'help' ? undefined : helpFlag(args);
  try {
    if (help) {
      context.stdout.write(renderCommandHelp(command));
      return exitCodes.ok;
    }
    const options = parseOptions(args, command.options, command.positionals?.max ?? 0);
    if (command.name === 'help') return await showHelp(context, options.positionals[0]);
    return await command.run(context, options);
  } catch (error) {
    // Setup errors quote config values, and unexpected ones anything: neither may drive the terminal.
    if (error instanceof ConfigError || SettingsError.isInstance(error)) {
      const usage =
        command.name === defaultCommand || command.name === 'help'
          ? 'aicredits --help'
          : `aicredits help ${command.name}`;
      context.stderr.write(`aicredits: ${terminalSafeText(error.message)}\nRun '${usage}' for usage.\n`);
      return exitCodes.usage;
    }
    context.stderr.write(
      `aicredits: unexpected error: ${terminalSafeText(error instanceof Error ? error.message : String(error))}\n`,
    );
    return exitCodes.internal;
  }
}

async function showHelp(context: CliContext, name: string | undefined): Promise<number> {
  if (name === undefined) {
    context.stdout.write(renderOverview(commands, defaultCommand));
    return exitCodes.ok;
  }
  const command = findCommand(name);
  if (command?.passThrough) return command.run(context, { values: {}, positionals: ['--help'] });
  if (command === undefined) {
    const suggestion = closestMatch(
      name,
      commands.map((candidate) => candidate.name),
    );
    throw new ConfigError(
      `no command ${JSON.stringify(name.slice(0, 40))}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    );
  }
  context.stdout.write(renderCommandHelp(command));
  return exitCodes.ok;
}

/** `-h`/`--help` anywhere before `--` shows the help, whatever else is wrong on the line. */
function helpFlag(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}

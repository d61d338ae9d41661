import type { Command } from './command.js';
import { balancesCommand } from './commands/balances.js';
import { helpCommand } from './commands/help.js';
import { initCommand } from './commands/init.js';
import { historyCommand, serveCommand, watchCommand } from './commands/monitor.js';
import { versionCommand } from './commands/version.js';

/** Every `aicredits` command, in the order the help lists them. Adding a command is one entry. */
export const commands: readonly Command[] = [
  balancesCommand,
  watchCommand,
  historyCommand,
  serveCommand,
  initCommand,
  helpCommand,
  versionCommand,
];

/** What `aicredits` alone, or `aicredits --json`, runs. */
export const defaultCommand = balancesCommand.name;

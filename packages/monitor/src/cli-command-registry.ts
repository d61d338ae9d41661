// Its own file because serve-command.ts builds on cli-commands.ts: a registry beside the watch and
// history commands would make the two import each other.
import { historyCommand, type MonitorCommand, watchCommand } from './cli-commands.js';
import { serveCommand } from './serve-command.js';

/** The commands `aicredits` loads from this package by name. */
export const cliCommands: Record<string, MonitorCommand> = {
  watch: watchCommand,
  history: historyCommand,
  serve: serveCommand,
};

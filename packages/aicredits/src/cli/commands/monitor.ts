import type { Command } from '../command.js';
import { runMonitorCommand } from '../monitor-commands.js';

/**
 * A command of `@aicredits/monitor` (an optional peer dependency), which parses its own options and
 * prints its own help: the arguments pass through untouched.
 */
function monitorCommand(name: string, summary: string): Command {
  return {
    name,
    summary,
    usage: `${name} [options]`,
    description: `${summary}. Needs the @aicredits/monitor package; its help: aicredits ${name} --help.`,
    options: {},
    examples: [{ command: `${name} --help`, description: 'Its options' }],
    passThrough: true,
    run: (context, { positionals }) => runMonitorCommand(name, positionals, context),
  };
}

export const watchCommand = monitorCommand('watch', 'Check every account on a schedule, keep a history, notify');
export const historyCommand = monitorCommand('history', "The stored readings and each account's forecast");
export const serveCommand = monitorCommand('serve', 'Watch, and serve Prometheus metrics, a JSON API and a dashboard');

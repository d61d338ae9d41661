import type { Command } from '../command.js';

/** `aicredits help [command]`; the dispatch in `main.ts` answers it, knowing every command. */
export const helpCommand: Command = {
  name: 'help',
  summary: 'Help for aicredits or one command',
  usage: 'help [command]',
  description: "Prints the commands, or one command's options, examples and exit codes.",
  options: { help: { type: 'boolean', short: 'h', description: 'This help' } },
  positionals: { max: 1, valueName: '[command]' },
  examples: [
    { command: 'help', description: 'Every command' },
    { command: 'help balances', description: 'The options of balances' },
  ],
  run: () => Promise.reject(new Error('help is answered by main')),
};

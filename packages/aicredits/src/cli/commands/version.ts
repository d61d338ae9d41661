import packageJson from '../../../package.json' with { type: 'json' };
import type { Command } from '../command.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the version',
  usage: 'version',
  description: 'Prints the version of aicredits (also: aicredits --version, -v).',
  options: { help: { type: 'boolean', short: 'h', description: 'This help' } },
  examples: [{ command: 'version', description: `Prints ${packageJson.version}` }],
  run: async (context) => {
    context.stdout.write(`${packageJson.version}\n`);
    return 0;
  },
};

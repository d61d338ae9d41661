import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import { builtInProviders, providerIds } from '../../providers.js';
import type { CliContext } from '../cli-context.js';
import type { Command, ParsedOptions } from '../command.js';
import { defaultConfigFile } from '../config-discovery.js';
import { ConfigError } from '../config-error.js';

const keyVariable = (provider: string) =>
  builtInProviders.find((module) => module.id === provider)!.definition.apiKeyEnvironmentVariable;

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a starter config for the providers whose API key variables are set',
  usage: 'init [options]',
  description: `Writes ./${defaultConfigFile} with one account for each provider whose API key environment
variable is set. The file names the variables (apiKeyEnv), never the keys, and points "$schema" at
the JSON Schema installed with aicredits, so editors complete and check it.`,
  options: {
    output: { type: 'string', valueName: '<file>', description: `Where to write it (default ./${defaultConfigFile})` },
    force: { type: 'boolean', description: 'Replace an existing file' },
    help: { type: 'boolean', short: 'h', description: 'This help' },
  },
  examples: [
    {
      command: 'init',
      // Two of the list's providers, so that the help names real variables without a list of its own.
      description: `${keyVariable(providerIds[0]!)} and ${keyVariable(providerIds[1]!)} set: ./${defaultConfigFile} with both`,
    },
    {
      command: 'init --output ~/.config/aicredits/config.json',
      description: 'A config found from any directory',
    },
  ],
  run: runInit,
};

async function runInit(context: CliContext, { values }: ParsedOptions): Promise<number> {
  const path = resolve(context.cwd, (values['output'] as string | undefined) ?? defaultConfigFile);
  const found = providerIds.filter((provider) => {
    const value = context.environment[keyVariable(provider)];
    return value !== undefined && value.trim() !== '';
  });
  if (found.length === 0) {
    const names = providerIds.map((provider) => keyVariable(provider)).join(', ');
    throw new ConfigError(`no API key variable is set: set at least one of ${names}, then run aicredits init again`);
  }
  const config = {
    $schema: schemaReference(dirname(path)),
    $comment:
      'Written by aicredits init. API keys stay in environment variables: each account names its variable in ' +
      'apiKeyEnv. Give accounts a label, add more per provider, and set min to be alerted (exit 1) below it.',
    accounts: found.map((provider) => {
      const variable = keyVariable(provider);
      return {
        $comment: `The key is read from ${variable} when aicredits runs.`,
        provider,
        label: 'default',
        apiKeyEnv: variable,
      };
    }),
  };
  try {
    await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { flag: values['force'] === true ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConfigError(`${path} exists; use --force to replace it`);
    throw new ConfigError(`cannot write ${path}: ${code ?? (error as Error).message}`);
  }
  context.stdout.write(`Wrote ${path} for ${found.join(', ')}. Check it with: aicredits balances\n`);
  return 0;
}

/**
 * The installed JSON Schema: the project's own copy when aicredits is installed there (a relative
 * path), else this installation's (a file URL), else the usual project location.
 */
function schemaReference(directory: string): string {
  const from = [resolve(directory, 'aicredits.js'), process.argv[1]].filter((file) => file !== undefined);
  for (const file of from) {
    try {
      const schema = createRequire(file).resolve('aicredits/config.schema.json');
      const path = relative(directory, schema).split(sep).join('/');
      if (!path.startsWith('..')) return `./${path}`;
      return pathToFileURL(schema).href;
    } catch {
      // Not resolvable from there; try the next place.
    }
  }
  return './node_modules/aicredits/dist/config.schema.json';
}

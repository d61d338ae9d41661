import packageJson from '../../package.json' with { type: 'json' };
import type { Command, OptionSpecs } from './command.js';

export const docsURL = packageJson.homepage;

/** `aicredits help`: the commands, the global options, examples and where the docs are. */
export function renderOverview(commands: readonly Command[], defaultCommand: string): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: aicredits <command> [options]',
    '',
    `See the remaining credits of your AI image/video API accounts. Without a command: ${defaultCommand}.`,
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Help for aicredits or a command (also: aicredits help <command>)',
    '  -v, --version  The version (also: aicredits version)',
    '',
    'Examples:',
    '  $ aicredits                        # every account whose API key variable is set',
    '  $ aicredits balances --json | jq .',
    '  $ aicredits help balances',
    '',
    `Learn more: ${docsURL}`,
    '',
  ].join('\n');
}

/** `aicredits help <command>` and `aicredits <command> --help`. */
export function renderCommandHelp(command: Command): string {
  const examples = command.examples.map((example) => `  $ aicredits ${example.command}\n      ${example.description}`);
  return [
    `Usage: aicredits ${command.usage}`,
    '',
    command.description,
    '',
    'Options:',
    renderOptions(command.options),
    ...(command.sections ?? []).flatMap((section) => ['', `${section.title}:`, section.text]),
    '',
    'Examples:',
    ...examples,
    '',
    `Learn more: ${docsURL}`,
    '',
  ].join('\n');
}

function renderOptions(options: OptionSpecs): string {
  const names = Object.entries(options).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    return `${short}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? '<value>'}` : ''}`;
  });
  const width = Math.max(...names.map((name) => name.length));
  return Object.values(options)
    .map((spec, index) => {
      const [first = '', ...rest] = spec.description.split('\n');
      return [
        `  ${names[index]!.padEnd(width)}  ${first}`,
        ...rest.map((line) => `  ${' '.repeat(width)}  ${line}`),
      ].join('\n');
    })
    .join('\n');
}

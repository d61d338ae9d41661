import { parseArgs } from 'node:util';

import type { OptionSpecs, ParsedOptions } from './command.js';
import { ConfigError } from './config-error.js';
import { closestMatch } from './did-you-mean.js';

/**
 * The command line against one command's options, with our own messages instead of `parseArgs`'
 * (an unknown `--jsn` gets "did you mean --json?"); repeatable options also take comma lists.
 */
export function parseOptions(args: readonly string[], specs: OptionSpecs, maxPositionals = 0): ParsedOptions {
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        { type: spec.type, ...(spec.short === undefined ? {} : { short: spec.short }) },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: ParsedOptions['values'] = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (positionals.length >= maxPositionals) {
        throw new ConfigError(`unexpected argument ${JSON.stringify(clip(token.value))}`);
      }
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = specs[token.name];
    if (spec === undefined) {
      const suggestion = closestMatch(
        token.rawName,
        Object.keys(specs).map((name) => `--${name}`),
      );
      throw new ConfigError(
        `unknown option ${JSON.stringify(clip(token.rawName))}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      );
    }
    const shown = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new ConfigError(`${shown} takes no value`);
      values[token.name] = true;
      continue;
    }
    // `--config --json` would otherwise read "--json" as the file name.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new ConfigError(`${shown} needs a value${spec.valueName === undefined ? '' : ` ${spec.valueName}`}`);
    }
    if (spec.multiple) {
      const items = token.value.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) {
        throw new ConfigError(`${shown}: empty item in ${JSON.stringify(clip(token.value))}`);
      }
      values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), ...items];
    } else {
      values[token.name] = token.value;
    }
  }
  return { values, positionals };
}

/** Echoed input is cut short: it can be anything a user pasted. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

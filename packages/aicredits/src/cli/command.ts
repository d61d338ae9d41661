import type { CliContext } from './cli-context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Repeatable; each value may also be a comma list (`--provider iqqz,imaginepro`). */
  multiple?: boolean;
  /** The value's name in the help, e.g. `<file>`. */
  valueName?: string;
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedOptions {
  /** Strings for string options (arrays for repeatable ones, comma lists split), `true` for flags. */
  values: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/**
 * One `aicredits <name>` command. Adding a command is adding one of these to `commands.ts`; help,
 * "did you mean" and option parsing come from its fields.
 */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** After `Usage: aicredits `, e.g. `balances [options]`. */
  usage: string;
  /** A paragraph or two under the usage line. */
  description: string;
  options: OptionSpecs;
  /** Positional arguments it takes beyond its name: none unless said. */
  positionals?: { max: number; valueName: string };
  examples: readonly { command: string; description: string }[];
  /** Extra help sections, e.g. the exit codes. */
  sections?: readonly { title: string; text: string }[];
  /**
   * Its arguments reach `run` untouched, as `positionals` (`--help` included): for commands that
   * parse their own, such as those of `@aicredits/monitor`.
   */
  passThrough?: boolean;
  run(context: CliContext, options: ParsedOptions): Promise<number>;
}

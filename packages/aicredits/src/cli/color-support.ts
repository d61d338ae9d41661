import type { OutputStream } from './cli-context.js';

type Environment = Record<string, string | undefined>;

/**
 * Colour on `stream`, by the usual rules: `--no-color` and a non-empty `NO_COLOR` remove it,
 * `FORCE_COLOR` (other than `0` or `false`) forces it, `TERM=dumb` and a non-terminal get none.
 */
export function colorEnabled(stream: OutputStream, environment: Environment, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (nonEmpty(environment['NO_COLOR'])) return false;
  const force = environment['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && environment['TERM'] !== 'dumb';
}

/** The self-rewriting `\r` progress line: only on a real terminal that can move its cursor. */
export function progressEnabled(stream: OutputStream, environment: Environment): boolean {
  return stream.isTTY === true && environment['TERM'] !== 'dumb';
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

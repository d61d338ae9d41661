import type { BalanceResult } from '../balance-result.js';
import { formatDates, formatRemaining } from './format.js';

export interface Colors {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const paint = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const ansiColors: Colors = { red: paint(31), green: paint(32), yellow: paint(33), dim: paint(2) };
const plain = (text: string) => text;
export const noColors: Colors = { red: plain, green: plain, yellow: plain, dim: plain };

const headings = ['PROVIDER', 'ACCOUNT', 'PLAN', 'REMAINING / LIMIT', 'UNIT', 'RENEWS / EXPIRES', 'STATUS'];

/** A fixed-width table, one row per account; colour marks only the status column. */
export function renderTable(results: readonly BalanceResult[], colors: Colors): string {
  const rows = results.map((result) => {
    if (!result.ok) {
      return {
        cells: [result.provider, result.account, '', '', '', '', failureStatus(result.error)],
        color: colors.red,
      };
    }
    const { balance } = result;
    const status = [balance.status, ...(result.low ? [`LOW (min ${result.min})`] : []), ...balance.notes].join('; ');
    const color =
      result.low || balance.status === 'expired' || balance.status === 'unsubscribed'
        ? colors.red
        : balance.status === 'active'
          ? colors.green
          : colors.yellow;
    return {
      cells: [
        result.provider,
        result.account,
        balance.plan ?? '',
        formatRemaining(balance),
        balance.unit,
        formatDates(balance),
        status,
      ],
      color,
    };
  });
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => row.cells[column]!.length)),
  );
  const line = (cells: string[], color?: (text: string) => string) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        return column === cells.length - 1 && color ? color(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [colors.dim(line(headings)), ...rows.map((row) => line(row.cells, row.color))].join('\n') + '\n';
}

function failureStatus(error: Error): string {
  return error.name === 'InterruptedError' ? 'interrupted' : `error: ${describeError(error)}`;
}

function describeError(error: Error): string {
  const message = `${error.name}: ${error.message}`;
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}

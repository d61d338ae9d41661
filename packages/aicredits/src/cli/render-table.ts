import type { BalanceResult } from '../balance-result.js';
import { displayWidth, padToWidth, truncateToWidth } from './display-width.js';
import { formatDates, formatRemaining } from './format.js';
import { terminalSafeText } from './terminal-safe-text.js';

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
/**
 * The widest a cell may be, in columns: one provider's 1 MiB plan name must not pad every row.
 * Amounts get room for every digit; the last column is not padded, so it may be longer.
 */
const maxWidths = [24, 48, 40, 64, 16, 32, 240];

/** Provider text as a cell: controls made visible, cut to the column's width. */
function cell(text: string, column: number): string {
  return truncateToWidth(terminalSafeText(text), maxWidths[column]!);
}

/** A fixed-width table, one row per account; colour marks only the status column. */
export function renderTable(results: readonly BalanceResult[], colors: Colors): string {
  const rows = results.map((result) => {
    if (!result.ok) {
      return {
        cells: [result.provider, result.account, '', '', '', '', failureStatus(result.error)].map(cell),
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
        balance.unitAssumed ? `${balance.unit} (assumed)` : balance.unit,
        formatDates(balance),
        status,
      ].map(cell),
      color,
    };
  });
  const widths = headings.map((heading, column) =>
    // A loop, not `Math.max(...rows)`: spreading a long result list overflows the argument limit.
    rows.reduce((widest, row) => Math.max(widest, displayWidth(row.cells[column]!)), heading.length),
  );
  const line = (cells: string[], color?: (text: string) => string) =>
    cells
      .map((text, column) => {
        const padded = column === cells.length - 1 ? text : padToWidth(text, widths[column]!);
        return column === cells.length - 1 && color ? color(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [colors.dim(line(headings)), ...rows.map((row) => line(row.cells, row.color))].join('\n') + '\n';
}

function failureStatus(error: Error): string {
  // Cut to the column's width by `cell`, after its controls are made visible.
  return error.name === 'InterruptedError' ? 'interrupted' : `error: ${error.name}: ${error.message}`;
}

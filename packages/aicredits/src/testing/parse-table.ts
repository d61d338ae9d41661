/**
 * Reads the CLI's fixed-width table back into cells, using the header's column positions (cells
 * may be empty, so splitting on spaces would not do). Test-only.
 */
export const tableHeadings = [
  'PROVIDER',
  'ACCOUNT',
  'PLAN',
  'REMAINING / LIMIT',
  'UNIT',
  'RENEWS / EXPIRES',
  'STATUS',
] as const;

export type TableRow = Record<(typeof tableHeadings)[number], string>;

export function parseTable(output: string): { header: string; rows: TableRow[] } {
  const lines = output.split('\n').filter((line) => line !== '');
  const [header = '', ...body] = lines;
  const starts = tableHeadings.map((heading) => header.indexOf(heading));
  if (starts.some((start, index) => start < 0 || (index > 0 && start <= starts[index - 1]!))) {
    throw new Error(`not a table header: ${JSON.stringify(header)}`);
  }
  const rows = body.map((line) => {
    const row = {} as TableRow;
    tableHeadings.forEach((heading, index) => {
      // The status column runs to the end of the line (an error message may be long).
      const end = index === tableHeadings.length - 1 ? undefined : starts[index + 1];
      row[heading] = line.slice(starts[index], end).trim();
    });
    return row;
  });
  return { header, rows };
}

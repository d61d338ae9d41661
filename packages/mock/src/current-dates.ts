/**
 * Moves the dates of a spec example to around today, so a demo or a QA run never shows a plan
 * that expired years ago just because the provider's docs were written then.
 *
 * Dates are ISO 8601 date-time strings anywhere in the example, and Unix epoch seconds (from 2001
 * to 2286) in fields whose name says they are a time (`nextPayTime`, `access_until`, `...At`).
 * Placeholders such as `0` are left alone. All dates of one example move by the same whole
 * number of days, so their order and spacing stay as written: the earliest lands 30 days after
 * `now`; in an example whose name says "expired", the latest lands 30 days before `now`.
 */

const dayMs = 86_400_000;
const marginDays = 30;
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))$/;
const timeFieldName = /(Time|time|Until|until|_at|At|Date|date)$/;
const minEpochSeconds = 1_000_000_000;
const maxEpochSeconds = 9_999_999_999;

export function renderDatesNear(exampleName: string, value: unknown, now: number): unknown {
  const found: number[] = [];
  visit(value, undefined, (milliseconds) => {
    found.push(milliseconds);
    return undefined;
  });
  if (found.length === 0) return value;
  const expired = /expired/i.test(exampleName);
  const anchor = expired ? Math.max(...found) : Math.min(...found);
  const target = expired ? now - marginDays * dayMs : now + marginDays * dayMs;
  // Calendar days (UTC), so the anchor lands on the target's date whatever its time of day.
  const shiftDays = Math.floor(target / dayMs) - Math.floor(anchor / dayMs);
  if (shiftDays === 0) return value;
  return visit(structuredClone(value), undefined, () => shiftDays);
}

/**
 * Walks the value; for each date found calls `onDate` with its time, and where it returns a
 * number of days, writes the date back moved by that many days, in the same format.
 */
function visit(value: unknown, key: string | undefined, onDate: (milliseconds: number) => number | undefined): unknown {
  if (typeof value === 'string') {
    const match = isoDateTime.exec(value);
    if (match === null) return value;
    const milliseconds = Date.parse(value);
    if (Number.isNaN(milliseconds)) return value;
    const days = onDate(milliseconds);
    if (days === undefined) return value;
    // Only the calendar date changes: the time of day and the offset stay exactly as written.
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + days * dayMs);
    return `${date.toISOString().slice(0, 10)}${match[4]}`;
  }
  if (typeof value === 'number') {
    if (key === undefined || !timeFieldName.test(key) || !Number.isInteger(value)) return value;
    if (value < minEpochSeconds || value > maxEpochSeconds) return value;
    const days = onDate(value * 1000);
    return days === undefined ? value : value + days * 86_400;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = visit(value[index], key, onDate);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [name, child] of Object.entries(record)) record[name] = visit(child, name, onDate);
    return value;
  }
  return value;
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Client, InStatement, InValue, Row } from '@libsql/client';
import Database from 'libsql';

import { migrations } from './migrations.js';
import { accountKey, type Reading, type ReadingErrorKind, type ReadingPart } from './reading.js';
import type { AlertCommit, OutboxEntry, ReadingQuery, Store } from './store.js';
import { RemoteTimeoutError, StoreError, toStoreError } from './store-error.js';
import { describeStoreUrl } from './store-location.js';

export interface StoreOptions {
  /** `file:/path/history.db`, or a libSQL server's `libsql:` / `http(s):` URL (see `resolveStoreUrl`). */
  url: string;
  /** The libSQL server's token, when it needs one. */
  authToken?: string | undefined;
  /** How long a write waits for another process's lock before failing with SQLITE_BUSY. Default 5 s. */
  busyTimeoutMs?: number | undefined;
  /**
   * How long a libSQL server may take over one operation (opening included) before it fails with a
   * `StoreError`: a server that accepts connections and never answers must not hang the monitor.
   * Default 30 s; local files have no such limit.
   */
  remoteTimeoutMs?: number | undefined;
}

/** Opens (creating if needed) the history database and brings its schema up to date. */
export async function createStore(options: StoreOptions): Promise<Store> {
  const location = describeStoreUrl(options.url);
  const isFile = options.url.startsWith('file:');
  const secrets = options.authToken === undefined || options.authToken === '' ? [] : [options.authToken];
  const bounded = isFile ? <T>(run: Promise<T>) => run : withTimeout(options.remoteTimeoutMs ?? 30_000);
  // A local file needs only the client's SQLite part: its full entry point also loads the libSQL
  // server protocols (hrana over HTTP and WebSocket), ~7 MB of RSS a monitor on a file never uses.
  const { createClient } = isFile ? await import('@libsql/client/sqlite3') : await import('@libsql/client');
  const connect = async (): Promise<Client> => {
    const client = createClient({ url: options.url, authToken: options.authToken });
    try {
      if (isFile) {
        await client.execute(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
        // WAL lets `aicredits history` read while `aicredits watch` writes.
        await client.execute('PRAGMA journal_mode = WAL');
        // In WAL mode NORMAL survives any crash of the process; only a power cut may undo the last writes.
        await client.execute('PRAGMA synchronous = NORMAL');
      }
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  };
  let client: Client;
  try {
    if (isFile) await mkdir(dirname(fileURLToPath(options.url)), { recursive: true });
    client = await bounded(connect());
  } catch (error) {
    throw toStoreError(error, location, 'open the database', secrets);
  }
  try {
    await bounded(migrate(client, location));
  } catch (error) {
    client.close();
    throw toStoreError(error, location, 'open the database', secrets);
  }
  let file: string | undefined;
  if (isFile) {
    try {
      file = await databaseFile(client);
    } catch (error) {
      client.close();
      throw toStoreError(error, location, 'open the database', secrets);
    }
  }
  const writer =
    file === undefined ? undefined : () => openLocalWriter(file, Math.trunc(options.busyTimeoutMs ?? 5000));
  return libsqlStore(client, connect, location, bounded, secrets, writer);
}

/** The file SQLite opened for the URL, as SQLite itself resolved it. */
async function databaseFile(client: Client): Promise<string> {
  const rows = (await client.execute('PRAGMA database_list')).rows;
  const main = rows.find((row) => row['name'] === 'main');
  const file = main === undefined ? '' : String(main['file']);
  if (file === '') throw new StoreError({ message: 'SQLite names no file for the database' });
  return file;
}

interface LocalWriter {
  /** Writes the readings in one transaction: all or none. */
  append(readings: readonly Reading[]): void;
  /** Writes alert states and their notifications in one transaction: all or none. */
  commitAlerts(commit: AlertCommit): void;
  close(): void;
}

/**
 * A local file's writes (readings, alert states, the outbox) go through a connection of their own
 * with prepared statements reused for every row. Through @libsql/client each write prepared its
 * statements anew, and libSQL frees a prepared statement's native memory only when a full garbage
 * collection finalizes it, which a small JS heap rarely needs: at 10,000 accounts the history's
 * writes held about 100 MB of RSS, and a first round's 10,000 alert states, written as multi-row
 * upserts of 8,000 values each, about 20 MB more.
 */
function openLocalWriter(file: string, busyTimeoutMs: number): LocalWriter {
  const database = new Database(file);
  let insertReading: ReturnType<typeof database.prepare>;
  let upsertState: ReturnType<typeof database.prepare>;
  let insertNotification: ReturnType<typeof database.prepare>;
  try {
    database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    database.exec('PRAGMA synchronous = NORMAL');
    insertReading = database.prepare(`INSERT INTO readings (${readingColumns}) VALUES (${readingPlaceholders})`);
    upsertState = database.prepare(`${upsertStateSql} (?, ?, ?) ${upsertStateSuffix}`);
    insertNotification = database.prepare(insertNotificationSql);
  } catch (error) {
    database.close();
    throw error;
  }
  const transaction = (write: () => void) => {
    database.exec('BEGIN IMMEDIATE');
    try {
      write();
      database.exec('COMMIT');
    } catch (error) {
      try {
        database.exec('ROLLBACK');
      } catch {
        // Nothing was begun, or SQLite rolled back already.
      }
      throw error;
    }
  };
  return {
    append(readings) {
      transaction(() => {
        for (const reading of readings) insertReading.run(readingValues(reading));
      });
    },
    commitAlerts({ states, notifications, at }) {
      const time = at.getTime();
      transaction(() => {
        for (const { key, state } of states) upsertState.run([key, JSON.stringify(state), time]);
        for (const { notifier, payload } of notifications) {
          insertNotification.run([notifier, JSON.stringify(payload), time, time]);
        }
      });
    },
    close: () => database.close(),
  };
}

/** Rejects with a `RemoteTimeoutError` when `run` has not settled within `milliseconds`. */
function withTimeout(milliseconds: number) {
  return <T>(run: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RemoteTimeoutError(milliseconds)), milliseconds);
    });
    return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  };
}

async function migrate(client: Client, location: string): Promise<void> {
  const transaction = await client.transaction('write');
  try {
    await transaction.execute('CREATE TABLE IF NOT EXISTS aicredits_schema (version INTEGER NOT NULL)');
    const row = (await transaction.execute('SELECT max(version) AS version FROM aicredits_schema')).rows[0];
    const current = Number(row?.['version'] ?? 0);
    if (current > migrations.length) {
      throw new StoreError({
        message: `history store ${location}: schema version ${current} was written by a newer @aicredits/monitor (this one knows up to ${migrations.length}); upgrade it`,
      });
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      for (const statement of migrations[version - 1]!) await transaction.execute(statement);
      await transaction.execute({ sql: 'INSERT INTO aicredits_schema (version) VALUES (?)', args: [version] });
    }
    await transaction.commit();
  } finally {
    transaction.close();
  }
}

function libsqlStore(
  connected: Client,
  connect: () => Promise<Client>,
  location: string,
  bounded: <T>(run: Promise<T>) => Promise<T>,
  secrets: readonly string[],
  openWriter: (() => LocalWriter) | undefined,
): Store {
  let client = connected;
  let writer: LocalWriter | undefined;
  const guard = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await bounded(run());
    } catch (error) {
      // A batch that failed on a lock leaves libSQL's connection unable to commit ("SQL statements
      // in progress"): a new connection lets the next attempt succeed once the lock is gone.
      try {
        writer?.close();
        writer = undefined;
        client.close();
        client = await connect();
      } catch {
        // The next call reports what is wrong.
      }
      throw toStoreError(error, location, action, secrets);
    }
  };
  let closed = false;

  return {
    location,
    append: (readings) =>
      guard(`write ${readings.length} reading(s)`, async () => {
        if (readings.length === 0) return;
        if (openWriter === undefined) {
          await client.batch(insertReadings(readings), 'write');
          return;
        }
        writer ??= openWriter();
        writer.append(readings);
      }),
    readings: (query = {}) =>
      guard('read readings', async () => {
        const { where, args } = readingFilter(query);
        const result = await client.execute({
          sql: `SELECT ${selectReading} FROM readings ${where} ORDER BY at, id`,
          args,
        });
        const readings = result.rows.map(rowToReading);
        const accounts = query.accounts;
        if (accounts === undefined || accounts.length === 0) return readings;
        return readings.filter((reading) =>
          accounts.some((account) => reading.account === account || reading.account.startsWith(`${account}/`)),
        );
      }),
    readingsOf: (accounts, since) =>
      guard('read readings', async () => {
        const byAccount = new Map<string, Reading[]>();
        const statements: InStatement[] = [];
        for (let start = 0; start < accounts.length; start += accountsPerQuery) {
          const chunk = accounts.slice(start, start + accountsPerQuery);
          statements.push({
            // A row-value IN list: SQLite searches the (provider, account, at) index once per pair.
            sql: `SELECT ${selectReading} FROM readings WHERE (provider, account) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})
                  AND at >= ? ORDER BY at, id`,
            args: [...chunk.flatMap(({ provider, account }) => [provider, account]), since.getTime()],
          });
        }
        // One read transaction: every chunk sees the same history.
        const results = statements.length === 0 ? [] : await client.batch(statements, 'read');
        for (const result of results) {
          for (const row of result.rows) {
            const reading = rowToReading(row);
            const key = accountKey(reading);
            const own = byAccount.get(key);
            if (own === undefined) byAccount.set(key, [reading]);
            else own.push(reading);
          }
        }
        return byAccount;
      }),
    latest: () =>
      guard('read the latest readings', async () => {
        const result = await client.execute(
          `SELECT ${selectNewestReading} FROM readings r
           JOIN (SELECT provider, account, max(at) AS at FROM readings GROUP BY provider, account) newest
             ON r.provider = newest.provider AND r.account = newest.account AND r.at = newest.at
           ORDER BY r.provider, r.account`,
        );
        return result.rows.map(rowToReading);
      }),
    prune: (before) =>
      guard('delete old readings', async () => {
        const result = await client.execute({ sql: 'DELETE FROM readings WHERE at < ?', args: [before.getTime()] });
        return result.rowsAffected;
      }),
    count: () =>
      guard('count readings', async () => {
        const result = await client.execute('SELECT count(*) AS n FROM readings');
        return Number(result.rows[0]?.['n'] ?? 0);
      }),
    alertStates: () =>
      guard('read the alert state', async () => {
        const result = await client.execute(`SELECT ${exactText('account_key')}, state FROM alert_state`);
        return new Map(result.rows.map((row) => [text(row['account_key']), JSON.parse(String(row['state']))]));
      }),
    commitAlerts: (commit: AlertCommit) =>
      guard('write the alert state', async () => {
        if (commit.states.length === 0 && commit.notifications.length === 0) return;
        if (openWriter !== undefined) {
          writer ??= openWriter();
          writer.commitAlerts(commit);
          return;
        }
        const at = commit.at.getTime();
        const statements: InStatement[] = [
          ...multiRowInserts(
            upsertStateSql,
            commit.states.map(({ key, state }) => [key, JSON.stringify(state), at]),
            upsertStateSuffix,
          ),
          ...commit.notifications.map(({ notifier, payload }) => ({
            sql: insertNotificationSql,
            args: [notifier, JSON.stringify(payload), at, at],
          })),
        ];
        await client.batch(statements, 'write');
      }),
    dueNotifications: (now, limit = 100) =>
      guard('read the notification outbox', async () => {
        const result = await client.execute({
          sql: `SELECT id, ${exactText('notifier')}, payload, created_at, attempts, next_attempt_at, ${exactText('last_error')}
                FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
          args: [now.getTime(), limit],
        });
        return result.rows.map(rowToOutboxEntry);
      }),
    nextNotificationAt: () =>
      guard('read the notification outbox', async () => {
        const result = await client.execute('SELECT min(next_attempt_at) AS at FROM outbox');
        return optionalDate(result.rows[0]?.['at']);
      }),
    pendingNotifications: () =>
      guard('read the notification outbox', async () => {
        const result = await client.execute('SELECT count(*) AS n FROM outbox');
        return Number(result.rows[0]?.['n'] ?? 0);
      }),
    markDelivered: (id) =>
      guard('update the notification outbox', async () => {
        await client.execute({ sql: 'DELETE FROM outbox WHERE id = ?', args: [id] });
      }),
    markFailed: (id, nextAttemptAt, error) =>
      guard('update the notification outbox', async () => {
        await client.execute({
          sql: 'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
          args: [nextAttemptAt.getTime(), error.slice(0, 1000), id],
        });
      }),
    async close() {
      if (closed) return;
      closed = true;
      writer?.close();
      client.close();
    },
  };
}

const upsertStateSql = 'INSERT INTO alert_state (account_key, state, updated_at) VALUES';
const upsertStateSuffix =
  'ON CONFLICT (account_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at';
const insertNotificationSql = 'INSERT INTO outbox (notifier, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?)';

const readingColumns = `provider, account, at, ok, remaining, limit_amount, unit, unlimited, plan, status,
  renews_at, expires_at, parts, min, error_kind, error_message`;

const textColumns = new Set(['provider', 'account', 'unit', 'plan', 'status', 'error_kind', 'error_message']);

/** The columns a reading is read from, its texts through `exactText`; `table` qualifies them (`r.`). */
const selectReading = readingSelection();
const selectNewestReading = readingSelection('r.');

function readingSelection(table = ''): string {
  return readingColumns
    .split(',')
    .map((column) => column.trim())
    .map((column) => (textColumns.has(column) ? exactText(column, table) : `${table}${column}`))
    .join(', ');
}

/**
 * A TEXT column read back exactly. libSQL's native driver reads TEXT as a C string, so a value
 * holding a NUL (provider text may: a plan name, an error message) came back cut short at it,
 * though SQLite stores every byte. Such a value is read as a BLOB of its UTF-8 bytes instead (see
 * `text`), so what was written reads back whole, from databases written before this too. JSON
 * columns need none of this: JSON.stringify writes a NUL as `\u0000`.
 */
function exactText(column: string, table = ''): string {
  const value = `${table}${column}`;
  return `CASE WHEN instr(CAST(${value} AS BLOB), x'00') > 0 THEN CAST(${value} AS BLOB) ELSE ${value} END AS ${column}`;
}

const utf8 = new TextDecoder();

/** A column selected through `exactText`: a string, or the BLOB of a text with a NUL in it. */
function text(value: unknown): string {
  return value instanceof ArrayBuffer ? utf8.decode(value) : String(value);
}

const readingPlaceholders = readingColumns
  .split(',')
  .map(() => '?')
  .join(', ');

/** Readings as multi-row INSERTs (see `multiRowInserts`), for a libSQL server. */
function insertReadings(readings: readonly Reading[]): InStatement[] {
  return multiRowInserts(`INSERT INTO readings (${readingColumns}) VALUES`, readings.map(readingValues));
}

/** Accounts a forecast query at most: two bound values each. */
const accountsPerQuery = 500;

/** Bound values a statement at most, well below SQLite's limit of 32,766. */
const valuesPerStatement = 8000;

/**
 * Rows as multi-row INSERTs: libSQL prepares every statement anew, and each prepared statement
 * holds native memory until garbage collection finalizes it, so a statement per row cost ~0.15 ms
 * of CPU and hundreds of MB of RSS at 10,000 accounts a round. Values stay bound parameters, so
 * every number and string is stored exactly as given.
 */
function multiRowInserts(insert: string, rows: readonly InValue[][], suffix = ''): InStatement[] {
  const width = rows[0]?.length ?? 1;
  const placeholders = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  const perStatement = Math.max(1, Math.floor(valuesPerStatement / width));
  const statements: InStatement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    statements.push({ sql: `${insert} ${chunk.map(() => placeholders).join(', ')} ${suffix}`, args: chunk.flat() });
  }
  return statements;
}

function readingValues(reading: Reading): InValue[] {
  return [
    reading.provider,
    reading.account,
    reading.at.getTime(),
    reading.ok ? 1 : 0,
    reading.remaining ?? null,
    reading.limit ?? null,
    reading.unit ?? null,
    reading.unlimited ? 1 : 0,
    reading.plan ?? null,
    reading.status ?? null,
    reading.renewsAt?.getTime() ?? null,
    reading.expiresAt?.getTime() ?? null,
    reading.parts.length === 0 ? null : JSON.stringify(reading.parts.map(partToJson)),
    reading.min ?? null,
    reading.errorKind ?? null,
    reading.errorMessage === undefined ? null : reading.errorMessage.slice(0, 2000),
  ];
}

function readingFilter(query: ReadingQuery): { where: string; args: (string | number)[] } {
  const conditions: string[] = [];
  const args: (string | number)[] = [];
  if (query.accounts !== undefined && query.accounts.length > 0) {
    // The label and `label/…` (PixVerse accounts found under a label) as one range, '0' being the
    // character after '/', so that the (provider, account, at) index serves it: with an OR of an
    // equality and a range SQLite used only the provider column and read every account's rows.
    // The range also holds e.g. `label-2`, which `readings` filters out.
    conditions.push(`(${query.accounts.map(() => '(account >= ? AND account < ?)').join(' OR ')})`);
    for (const account of query.accounts) args.push(account, `${account}0`);
  }
  if (query.provider !== undefined) {
    conditions.push('provider = ?');
    args.push(query.provider);
  }
  if (query.since !== undefined) {
    conditions.push('at >= ?');
    args.push(query.since.getTime());
  }
  if (query.until !== undefined) {
    conditions.push('at <= ?');
    args.push(query.until.getTime());
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, args };
}

interface PartJson {
  name: string;
  remaining?: number;
  limit?: number;
  resetsAt?: number;
  expiresAt?: number;
}

function partToJson(part: ReadingPart): PartJson {
  return {
    name: part.name,
    remaining: part.remaining,
    limit: part.limit,
    resetsAt: part.resetsAt?.getTime(),
    expiresAt: part.expiresAt?.getTime(),
  } as PartJson;
}

function rowToReading(row: Row): Reading {
  const parts = row['parts'] === null ? [] : (JSON.parse(String(row['parts'])) as PartJson[]);
  return {
    provider: text(row['provider']),
    account: text(row['account']),
    at: new Date(Number(row['at'])),
    ok: Number(row['ok']) === 1,
    remaining: optionalNumber(row['remaining']),
    limit: optionalNumber(row['limit_amount']),
    unit: optionalString(row['unit']),
    unlimited: Number(row['unlimited']) === 1,
    plan: optionalString(row['plan']),
    status: optionalString(row['status']) as Reading['status'],
    renewsAt: optionalDate(row['renews_at']),
    expiresAt: optionalDate(row['expires_at']),
    parts: parts.map((part) => ({
      name: part.name,
      remaining: part.remaining,
      limit: part.limit,
      resetsAt: optionalDate(part.resetsAt),
      expiresAt: optionalDate(part.expiresAt),
    })),
    min: optionalNumber(row['min']),
    errorKind: optionalString(row['error_kind']) as ReadingErrorKind | undefined,
    errorMessage: optionalString(row['error_message']),
  };
}

function rowToOutboxEntry(row: Row): OutboxEntry {
  return {
    id: Number(row['id']),
    notifier: text(row['notifier']),
    payload: JSON.parse(String(row['payload'])),
    createdAt: new Date(Number(row['created_at'])),
    attempts: Number(row['attempts']),
    nextAttemptAt: new Date(Number(row['next_attempt_at'])),
    lastError: optionalString(row['last_error']),
  };
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function optionalString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : text(value);
}

function optionalDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : new Date(Number(value));
}

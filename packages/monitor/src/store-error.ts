import { AiCreditsError, redactSecrets } from 'aicredits';

/** The history store could not be opened, read or written; readings not written are kept in memory. */
export class StoreError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.store';
  override name = 'StoreError';
  /** SQLite's code, e.g. `SQLITE_BUSY`, `SQLITE_NOTADB`. */
  readonly code: string | undefined;

  constructor(options: { message: string; code?: string | undefined; cause?: unknown }) {
    super({ message: options.message, cause: options.cause });
    this.code = options.code;
  }
}

const explanations: Record<string, string> = {
  SQLITE_BUSY: 'the database is locked by another process; stop the other writer or point watch.store elsewhere',
  SQLITE_LOCKED: 'the database is locked; stop the other writer or point watch.store elsewhere',
  SQLITE_NOTADB: 'the file is not an SQLite database (corrupt, or another file); move it aside to start a new history',
  SQLITE_CORRUPT: 'the database is corrupt; move it aside to start a new history (sqlite3 .recover may save readings)',
  SQLITE_READONLY: 'the database is read-only; check the file permissions',
  SQLITE_CANTOPEN: 'the database file cannot be opened; check that its directory exists and is writable',
  SQLITE_FULL: 'the disk is full',
  SQLITE_PERM: 'permission denied; check the file permissions',
  SQLITE_IOERR: 'an I/O error occurred reading or writing the file',
};

/** A libSQL server did not answer in time (see `StoreOptions.remoteTimeoutMs`). */
export class RemoteTimeoutError extends Error {
  override name = 'RemoteTimeoutError';
  readonly code = 'TIMEOUT';
  constructor(milliseconds: number) {
    super(`the libSQL server did not answer within ${milliseconds / 1000} s`);
  }
}

/** `secrets` (a server's auth token) are removed from the message: a server may echo anything. */
export function toStoreError(
  error: unknown,
  location: string,
  action: string,
  secrets: readonly string[] = [],
): StoreError {
  if (StoreError.isInstance(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const explanation =
    (code !== undefined && (explanations[code] ?? explanations[code.replace(/_[A-Z]+$/, '')])) ||
    unreachable(error) ||
    (error instanceof Error ? error.message : String(error));
  return new StoreError({
    message: redactSecrets(
      `history store ${location}: cannot ${action}: ${explanation}${code === undefined ? '' : ` (${code})`}`,
      secrets,
    ),
    code,
    cause: error,
  });
}

/** fetch's bare "fetch failed" names its reason only in a cause: say that the server is out of reach, and why. */
function unreachable(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.message !== 'fetch failed') return undefined;
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `cannot reach the libSQL server (${cause.message})`;
  }
  return 'cannot reach the libSQL server';
}

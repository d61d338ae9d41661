import { AiCreditsError } from 'aicredits';

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

export function toStoreError(error: unknown, location: string, action: string): StoreError {
  if (StoreError.isInstance(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const explanation =
    (code !== undefined && (explanations[code] ?? explanations[code.replace(/_[A-Z]+$/, '')])) ||
    (error instanceof Error ? error.message : String(error));
  return new StoreError({
    message: `history store ${location}: cannot ${action}: ${explanation}${code === undefined ? '' : ` (${code})`}`,
    code,
    cause: error,
  });
}

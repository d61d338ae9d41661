/**
 * The schema, one step per version, applied in order inside a transaction. Never edit a shipped
 * step: add the next one. Times are Unix milliseconds.
 */
export const migrations: readonly (readonly string[])[] = [
  [
    `CREATE TABLE readings (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      account TEXT NOT NULL,
      at INTEGER NOT NULL,
      ok INTEGER NOT NULL,
      remaining REAL,
      limit_amount REAL,
      unit TEXT,
      unlimited INTEGER NOT NULL DEFAULT 0,
      plan TEXT,
      status TEXT,
      renews_at INTEGER,
      expires_at INTEGER,
      parts TEXT,
      min REAL,
      error_kind TEXT,
      error_message TEXT
    )`,
    'CREATE INDEX readings_by_account ON readings (provider, account, at)',
    'CREATE INDEX readings_by_time ON readings (at)',
    `CREATE TABLE alert_state (
      account_key TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      notifier TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT
    )`,
    'CREATE INDEX outbox_due ON outbox (next_attempt_at)',
  ],
];

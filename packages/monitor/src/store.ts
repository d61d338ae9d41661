import type { Reading } from './reading.js';

export interface ReadingQuery {
  /** Only these account labels (a PixVerse `allAccounts` label also selects `label/…`). */
  accounts?: readonly string[] | undefined;
  provider?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** A notification waiting for delivery: kept across restarts until delivered. */
export interface OutboxEntry {
  id: number;
  /** The notifier's name in `watch.notify`. */
  notifier: string;
  payload: unknown;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | undefined;
}

/** Alert state changes and the notifications they cause, written together. */
export interface AlertCommit {
  states: readonly { key: string; state: unknown }[];
  notifications: readonly { notifier: string; payload: unknown }[];
  at: Date;
}

/**
 * The monitor's persistence: readings, per-account alert state and the notification outbox.
 * `createStore` gives the libSQL implementation; every method throws `StoreError` with a clear
 * message when the database is locked, corrupt or unreachable.
 */
export interface Store {
  /** The database, for messages: a path, or a URL without credentials. */
  readonly location: string;
  /** Writes readings in one transaction: all of them or none. */
  append(readings: readonly Reading[]): Promise<void>;
  /** Readings in time order (oldest first). */
  readings(query?: ReadingQuery): Promise<Reading[]>;
  /**
   * The readings of these exact accounts (no `label/…` members) since `since`, in time order,
   * keyed by `accountKey`: the history of many accounts' forecasts in a few statements.
   */
  readingsOf(accounts: readonly { provider: string; account: string }[], since: Date): Promise<Map<string, Reading[]>>;
  /** Each account's newest reading. */
  latest(): Promise<Reading[]>;
  /** Deletes readings older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** How many readings are stored. */
  count(): Promise<number>;
  alertStates(): Promise<Map<string, unknown>>;
  commitAlerts(commit: AlertCommit): Promise<void>;
  /** Outbox entries due at `now`, oldest first. */
  dueNotifications(now: Date, limit?: number): Promise<OutboxEntry[]>;
  /** When the earliest pending outbox entry is due; `undefined` when the outbox is empty. */
  nextNotificationAt(): Promise<Date | undefined>;
  /** Pending outbox entries, due or not. */
  pendingNotifications(): Promise<number>;
  markDelivered(id: number): Promise<void>;
  markFailed(id: number, nextAttemptAt: Date, error: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `@aicredits/monitor`: `aicredits watch` and `aicredits history` as a library: a scheduler over the
 * `aicredits` facade, an embedded SQLite (libSQL) history, burn-rate forecasts, alert rules with
 * persisted state, and notifiers.
 *
 * @module @aicredits/monitor
 */
export { createStore, type StoreOptions } from './create-store.js';
export { accountKey, errorKindOf, readingFromResult, type Reading, type ReadingErrorKind, type ReadingPart } from './reading.js';
export { StoreError } from './store-error.js';
export { describeStoreUrl, resolveStoreUrl } from './store-location.js';
export type { AlertCommit, OutboxEntry, ReadingQuery, Store } from './store.js';

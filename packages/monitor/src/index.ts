/**
 * `@aicredits/monitor`: `aicredits watch`, `aicredits history` and `aicredits serve` as a library:
 * a scheduler over the `aicredits` facade, an embedded SQLite (libSQL) history, burn-rate
 * forecasts, alert rules with persisted state, notifiers, Prometheus metrics and a dashboard.
 *
 * @module @aicredits/monitor
 */
export type { AccountView } from './account-families.js';
export {
  type ActiveAlert,
  type AlertEvent,
  type AlertKind,
  type AlertState,
  emptyAlertState,
  nextAlertState,
} from './alert-state.js';
export { cliCommands } from './cli-command-registry.js';
export {
  type CommandContext,
  type CommandHost,
  type CommandOptionSpecs,
  forecastNotes,
  historyCommand,
  type MonitorCommand,
  watchCommand,
} from './cli-commands.js';
export { createServe, type Serve, type ServeOptions } from './create-serve.js';
export { createStore, type StoreOptions } from './create-store.js';
export { createWatcher, type Watcher, type WatcherOptions } from './create-watcher.js';
export { formatDuration, parseDuration } from './duration.js';
export { type EncodedBlock } from './encoded-blocks.js';
export { type BurnForecast, describeForecast, type Forecast, forecastAccount } from './forecast.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { buildNotification, type Notification } from './notification.js';
export {
  createNotifier,
  type Notifier,
  type NotifierFetch,
  type NotifierOptions,
  signatureHeader,
} from './notifiers.js';
export {
  type CheckObservation,
  createPrometheusMetrics,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
} from './prometheus-metrics.js';
export {
  accountKey,
  errorKindOf,
  type Reading,
  type ReadingErrorKind,
  readingFromResult,
  type ReadingPart,
} from './reading.js';
export { discordText, plainText, slackText } from './safe-text.js';
export { defaultServePort, serveCommand } from './serve-command.js';
export type { ServeServer } from './serve-server.js';
export type { AlertCommit, OutboxEntry, ReadingQuery, Store } from './store.js';
export { StoreError } from './store-error.js';
export { describeStoreUrl, resolveStoreUrl } from './store-location.js';
export { systemWatchClock, type WatchClock } from './watch-clock.js';
export {
  type AccountWatchSettings,
  type AlertRules,
  type NotifierConfig,
  parseWatchConfig,
  type WatchConfig,
  WatchConfigError,
  watchDefaults,
} from './watch-config.js';

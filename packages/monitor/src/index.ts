/**
 * `@aicredits/monitor`: `aicredits watch`, `aicredits history` and `aicredits serve` as a library:
 * a scheduler over the `aicredits` facade, an embedded SQLite (libSQL) history, burn-rate
 * forecasts, alert rules with persisted state, notifiers, Prometheus metrics and a dashboard.
 *
 * @module @aicredits/monitor
 */
export {
  emptyAlertState,
  nextAlertState,
  type ActiveAlert,
  type AlertEvent,
  type AlertKind,
  type AlertState,
} from './alert-state.js';
export {
  cliCommands,
  forecastNotes,
  historyCommand,
  watchCommand,
  type CommandContext,
  type CommandHost,
  type MonitorCommand,
} from './cli-commands.js';
export type { AccountView } from './account-families.js';
export { createServe, type Serve, type ServeOptions } from './create-serve.js';
export type { ServeServer } from './serve-server.js';
export { createStore, type StoreOptions } from './create-store.js';
export { createWatcher, type Watcher, type WatcherOptions } from './create-watcher.js';
export { formatDuration, parseDuration } from './duration.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { describeForecast, forecastAccount, type BurnForecast, type Forecast } from './forecast.js';
export { buildNotification, type Notification } from './notification.js';
export {
  createNotifier,
  signatureHeader,
  type NotifierFetch,
  type Notifier,
  type NotifierOptions,
} from './notifiers.js';
export {
  createPrometheusMetrics,
  type CheckObservation,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
} from './prometheus-metrics.js';
export {
  accountKey,
  errorKindOf,
  readingFromResult,
  type Reading,
  type ReadingErrorKind,
  type ReadingPart,
} from './reading.js';
export { discordText, plainText, slackText } from './safe-text.js';
export { defaultServePort, serveCommand } from './serve-command.js';
export { StoreError } from './store-error.js';
export { describeStoreUrl, resolveStoreUrl } from './store-location.js';
export type { AlertCommit, OutboxEntry, ReadingQuery, Store } from './store.js';
export { systemWatchClock, type WatchClock } from './watch-clock.js';
export {
  parseWatchConfig,
  WatchConfigError,
  watchDefaults,
  type AccountWatchSettings,
  type AlertRules,
  type NotifierConfig,
  type WatchConfig,
} from './watch-config.js';

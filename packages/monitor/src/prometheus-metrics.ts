import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { accountFamilies, type AccountView, escapeLabelValue, formatSampleValue } from './account-families.js';
import { createAccountTable } from './account-table.js';
import { encodeBlock, type EncodedBlock } from './encoded-blocks.js';

export interface CheckObservation {
  provider: string;
  /** `success`, or the failure's kind (`authentication`, `rate_limit`, `timeout`, ...). */
  result: string;
  durationSeconds: number;
}

export interface PrometheusMetricsOptions {
  /** Reported by `aicredits_build_info`. */
  version: string;
  /** Adds Node's process metrics (`process_*`, `nodejs_*`); default true. */
  processMetrics?: boolean | undefined;
}

export interface PrometheusMetrics {
  /** The prom-client registry with the process-wide metrics; the per-account families are added by `render()`. */
  readonly registry: Registry;
  readonly contentType: string;
  /** Records one finished check in the duration histogram and the checks counter. */
  observeCheck(observation: CheckObservation): void;
  /** Accounts with lines (`aicredits_accounts`). */
  readonly accountCount: number;
  /** The accounts' latest state: each account's lines are written now, and served after the next complete `rebuild`. */
  update(views: readonly AccountView[]): void;
  /**
   * Encodes what `update` changed and publishes it (call it between requests); stops once
   * `performance.now()` passes `until`, and returns whether all of it is done.
   */
  rebuild(until?: number): boolean;
  /**
   * The whole exposition in encoded blocks, from what is in memory (a scrape never calls a
   * provider): the accounts' lines as of the last complete `rebuild`, prom-client's part as of now.
   */
  blocks(): Promise<EncodedBlock[]>;
  /** The whole exposition as UTF-8 (`blocks()` joined). */
  render(): Promise<Buffer>;
}

/**
 * The `/metrics` document. prom-client keeps the registry (process metrics, the check histogram
 * and counter, build info). The per-account gauges are written from the account views directly:
 * each account's lines per family when its view arrives, kept in blocks of accounts encoded once
 * (see `createAccountTable`), so a scrape at 10,000 accounts writes ~13 MB of cached bytes (one
 * chunk per family, as of the last rebuild) and encodes nothing. prom-client's own `set()` and
 * per-sample label formatting cost several times as much (see BENCHMARKS.md).
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const table = createAccountTable({ columns: accountFamilies.length });
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'aicredits_build_info',
    help: 'Always 1; the aicredits monitor version as a label.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: options.version }, 1);
  new Gauge({
    name: 'aicredits_accounts',
    help: 'Accounts being watched.',
    registers: [registry],
    collect() {
      this.set(table.size);
    },
  });
  const checkDuration = new Histogram({
    name: 'aicredits_check_duration_seconds',
    help: "How long one account's check took, retries included.",
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const checks = new Counter({
    name: 'aicredits_checks_total',
    help: 'Finished checks by provider and result (success, or the kind of failure).',
    labelNames: ['provider', 'result'],
    registers: [registry],
  });
  const headers = accountFamilies.map((family) =>
    encodeBlock(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} gauge\n`),
  );

  async function blocks(): Promise<EncodedBlock[]> {
    const result = [encodeBlock(await registry.metrics())];
    headers.forEach((header, index) => result.push(header, table.column(index)));
    return result;
  }

  return {
    registry,
    contentType: registry.contentType,
    get accountCount() {
      return table.size;
    },
    observeCheck({ provider, result, durationSeconds }) {
      checkDuration.observe({ provider }, durationSeconds);
      checks.inc({ provider, result });
    },
    update(views) {
      for (const view of views) table.set(view.provider, view.account, accountLines(view));
    },
    rebuild: (until) => table.rebuild(until),
    blocks,
    async render() {
      return Buffer.concat((await blocks()).map((block) => block.bytes));
    },
  };
}

/** One account's lines, one string per family ('' where it has no sample). */
export function accountLines(view: AccountView): string[] {
  const labels =
    `provider="${escapeLabelValue(view.provider)}",account="${escapeLabelValue(view.account)}",` +
    `unit="${escapeLabelValue(view.lastSuccess?.unit ?? '')}"`;
  return accountFamilies.map((family) => {
    let text = '';
    for (const [extra, value] of family.samples(view)) {
      text += `${family.name}{${labels}${extra}} ${formatSampleValue(value)}\n`;
    }
    return text;
  });
}

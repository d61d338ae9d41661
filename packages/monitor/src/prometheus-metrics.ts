import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { accountFamilies, type AccountView, escapeLabelValue, formatSampleValue } from './account-families.js';

export interface CheckObservation {
  provider: string;
  /** `success`, or the failure's kind (`authentication`, `rate_limit`, `timeout`, ...). */
  result: string;
  durationSeconds: number;
}

export interface PrometheusMetricsOptions {
  /** The latest state of every account; called on each scrape, so it must only read memory. */
  accounts: () => readonly AccountView[];
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
  /** The whole exposition as UTF-8, from what is in memory: a scrape never calls a provider. */
  render(): Promise<Buffer>;
}

/**
 * The `/metrics` document. prom-client keeps the registry (process metrics, the check histogram
 * and counter, build info). The per-account gauges are written from the account views directly,
 * one cached string of lines per account and family, rebuilt only when that account's view object
 * changes: prom-client's own `set()` and per-sample label formatting cost several times as much
 * (see BENCHMARKS.md), far over the 50 ms a scrape may take at 10,000 accounts.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
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
      this.set(options.accounts().length);
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
  const cache = new WeakMap<AccountView, Buffer[]>();
  const headers = accountFamilies.map((family) =>
    Buffer.from(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} gauge\n`),
  );
  const none = Buffer.alloc(0);

  function linesOf(view: AccountView): Buffer[] {
    let lines = cache.get(view);
    if (lines === undefined) {
      const labels =
        `provider="${escapeLabelValue(view.provider)}",account="${escapeLabelValue(view.account)}",` +
        `unit="${escapeLabelValue(view.lastSuccess?.unit ?? '')}"`;
      // One string and one encoding per account, sliced per family: a Buffer.from per family
      // costs more than the lines themselves.
      const texts = accountFamilies.map((family) => {
        let text = '';
        for (const [extra, value] of family.samples(view)) {
          text += `${family.name}{${labels}${extra}} ${formatSampleValue(value)}\n`;
        }
        return text;
      });
      const bytes = Buffer.from(texts.join(''));
      let start = 0;
      lines = texts.map((text) => {
        if (text === '') return none;
        const end = start + Buffer.byteLength(text);
        const slice = bytes.subarray(start, end);
        start = end;
        return slice;
      });
      cache.set(view, lines);
    }
    return lines;
  }

  return {
    registry,
    contentType: registry.contentType,
    observeCheck({ provider, result, durationSeconds }) {
      checkDuration.observe({ provider }, durationSeconds);
      checks.inc({ provider, result });
    },
    async render() {
      const views = options.accounts();
      const perAccount = views.map(linesOf);
      // Encoded once per account and family, then copied into one buffer: 10,000 accounts make
      // ~15 MB in ~150,000 lines; joining strings (or building one) costs several times as much.
      const head = Buffer.from(await registry.metrics());
      let size = head.length;
      for (const header of headers) size += header.length;
      for (const lines of perAccount) for (const bytes of lines) size += bytes.length;
      const output = Buffer.allocUnsafe(size);
      let offset = head.copy(output, 0);
      headers.forEach((header, index) => {
        offset += header.copy(output, offset);
        for (const lines of perAccount) {
          const bytes = lines[index]!;
          if (bytes.length > 0) offset += bytes.copy(output, offset);
        }
      });
      return output;
    },
  };
}

// The `aicredits serve` part of BENCHMARKS.md and its target (scripts/bench/serve.mjs).
import { formatBytes, formatNumber } from './stats.mjs';

export const serveP99TargetMs = 50;

/** How fast the row's serve polled while it was measured, in words. */
const pollingOf = (row) =>
  row.pollsPerSecond === undefined
    ? ''
    : `while polling ${formatNumber(row.pollsPerSecond)}/s (first round over ${row.jitter ?? '30s'})`;

const worstP99 = (row) => Math.max(row.metrics.p99Ms, row.metricsIdentity?.p99Ms ?? 0, row.balances.p99Ms);

/** One target per polling rate measured at the largest size: the stress row (~300 polls/s) and the default interval's rate (~33/s). */
export function serveTargets(serve) {
  const largestSize = serve?.rows.at(-1)?.accounts;
  if (largestSize === undefined) return [];
  return serve.rows
    .filter((row) => row.accounts === largestSize)
    .map((row, index) => ({
      id: index === 0 ? 'serveP99' : `serveP99-${row.jitter}`,
      target: `aicredits serve: GET /metrics and /api/balances p99 ≤ ${serveP99TargetMs} ms at ${formatNumber(row.accounts)} accounts ${pollingOf(row)}`,
      measured: `/metrics ${row.metrics.p99Ms} ms gzip, ${row.metricsIdentity?.p99Ms} ms uncompressed, /api/balances ${row.balances.p99Ms} ms (GET /healthz on the same server: ${row.healthz.p99Ms} ms)`,
      value: worstP99(row),
      met: worstP99(row) <= serveP99TargetMs,
    }));
}

export function renderServe(serve, table) {
  if (serve === undefined) return '';
  const dashboard = serve.dashboard
    .map((row) => `${formatNumber(row.accounts)} accounts: ${row.p50Ms} ms (p50 of ${row.loads}, max ${row.maxMs} ms)`)
    .join('; ');
  return `## aicredits serve

\`scripts/bench/serve.mjs\`: \`createServe\` from the built \`@aicredits/monitor\` in its own process (\`serve-target.mjs\`) with N accounts, a real SQLite history, and a facade stub that answers at once. The history starts with each account's reading of a minute before, so serve is ready at once and its first round (every account polled once, spread over the jitter) runs while the requests do: readings keep changing during the measurement (polls/s below, counted by the target). Over a 30 s jitter (1-minute interval) 10,000 accounts are polled ~300 times a second, ten times the rate of the default 5-minute interval: the stress row; the last row spreads the round over 5 minutes (10-minute interval), ~33 polls a second, the default interval's rate. The HTTP server runs on its own thread; the watcher's thread posts it the accounts that changed at most once a second, and it renders and encodes each batch between requests in 4 ms slices, then publishes it: a request is answered from the last published batch (the latest readings as of about a second before) and builds nothing. Requests are sequential and interleaved (/metrics with gzip as Prometheus asks and uncompressed, /api/balances with gzip as a browser asks, /healthz), over node:http, timed to the last byte without decompressing; /healthz on the same server is the HTTP floor. Sizes are the bytes sent.

${table(
  [
    'accounts',
    'first round over',
    'requests each',
    '/metrics p50',
    '/metrics p99',
    'vs /healthz p99',
    '/metrics size',
    'uncompressed p50',
    'uncompressed p99',
    'uncompressed size',
    '/api/balances p50',
    '/api/balances p99',
    'vs /healthz p99',
    '/api/balances size',
    '/healthz p99',
    'polls/s',
    'RSS',
  ],
  serve.rows.map((row) => [
    formatNumber(row.accounts),
    row.jitter ?? '30s',
    row.requests,
    `${row.metrics.p50Ms} ms`,
    `${row.metrics.p99Ms} ms`,
    `${row.metrics.p99VsHealthz}×`,
    formatBytes(row.metrics.bytes),
    `${row.metricsIdentity.p50Ms} ms`,
    `${row.metricsIdentity.p99Ms} ms`,
    formatBytes(row.metricsIdentity.bytes),
    `${row.balances.p50Ms} ms`,
    `${row.balances.p99Ms} ms`,
    `${row.balances.p99VsHealthz}×`,
    formatBytes(row.balances.bytes),
    `${row.healthz.p99Ms} ms`,
    row.pollsPerSecond === undefined ? '' : formatNumber(row.pollsPerSecond),
    formatBytes(row.rssBytes),
  ]),
)}

Each account's metric lines are written when its state changes and kept in blocks of 32 accounts, encoded and deflated once; each family's blocks are joined into one chunk when one of them changed: a request writes a few dozen cached chunks and encodes nothing. Writing every account's lines (rendered, encoded, deflated and published, then the exposition written) against prom-client's own way (a \`Gauge\` per family, \`set()\` per series, \`registry.metrics()\`) for the same series, in one process, every account changed before each render (the cache's worst case):

${table(
  ['accounts', 'series', 'ours p50', 'prom-client Gauges p50', 'ratio'],
  serve.renderer.map((row) => [
    formatNumber(row.accounts),
    formatNumber(row.series),
    `${row.oursP50Ms} ms`,
    `${row.promClientGaugesP50Ms} ms`,
    `${row.ratio}×`,
  ]),
)}

Dashboard in headless Chromium (${serve.chromium}), from navigation until every account's card and the history chart are drawn, after one warm-up load: ${dashboard || 'not measured'}${serve.dashboardRatio1000vs100 === undefined ? '' : `; 1,000 accounts take ${serve.dashboardRatio1000vs100}× as long as 100`}.
`;
}
